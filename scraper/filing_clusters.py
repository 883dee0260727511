"""Story clusters kept up while a crawl files its pages, by whatever files them.

The writer of a crawl's batches (a thread of the crawler, or the filing process) notes each
version a page of a batch made, with the sketch the page's parse made of its body; every
`CLUSTER_EVERY` of them it clusters those articles (`storage.clusters.Clusters.update`),
between batches, so the clustering is spread over the crawl instead of following it: the
run's closing step finds only the last few left. Clustering never fails a page (the pages
are filed already): what could not be clustered here is clustered by that closing step.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from storage.clusters import Clusters
from storage.clusters_minhash import SignedVersions, Sketch
from storage.db import Database
from storage.page_filing import Filed

# Articles clustered together: a transaction that holds up filing for tens of milliseconds
# at most, while its fixed cost (a few queries) stays small beside the batch's.
CLUSTER_EVERY = 200

logger = logging.getLogger(__name__)


class FiledClusters:
    """The versions filed since the last clustering, and the clustering of them."""

    def __init__(self, database: Database, every: int = CLUSTER_EVERY) -> None:
        self.clusters = Clusters(database)
        self.every = every
        self.clustered = 0  # articles clustered so far
        self._signed = SignedVersions()
        self._articles: set[int] = set()

    def note(
        self, sketches: Sequence[Sketch | None], outcomes: Sequence[Filed | Exception]
    ) -> bool:
        """Note the versions a batch made (its pages' sketches and filings, in order);
        whether enough wait to be clustered."""
        for sketch, outcome in zip(sketches, outcomes, strict=True):
            saved = outcome.saved if isinstance(outcome, Filed) else None
            if saved is None or saved.kind is None:
                continue  # no version made: nothing new to cluster
            self._articles.add(saved.article_id)
            if sketch is not None:
                self._signed.add(saved.article_id, saved.version_no, sketch)
        return len(self._articles) >= self.every

    def cluster(self) -> int:
        """Cluster the noted articles (those still due); how many were."""
        articles, signed = self._articles, self._signed
        self._articles, self._signed = set(), SignedVersions()
        if not articles:
            return 0
        try:
            done = self.clusters.update(signed, only=articles)
        except Exception:  # the articles stay due: the run's closing step clusters them
            logger.warning("clustering %d filed articles failed", len(articles), exc_info=True)
            return 0
        self.clustered += done
        return done

    def cluster_rest(self) -> int:
        """Every article still due, in one pass: the noted ones with their sketches, the
        others' bodies hashed here; how many were clustered. Errors are raised: the caller
        clusters instead."""
        signed, self._articles, self._signed = self._signed, set(), SignedVersions()
        return self.clusters.update(signed)
