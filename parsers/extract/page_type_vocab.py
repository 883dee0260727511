"""Vocabularies of the page-type classifier, kept as data so they can be tuned alone.

Each names something publishers, CMS themes or site owners write the same way everywhere:
schema.org types, Open Graph values, the body classes of WordPress, Drupal, Shopify and forum
software, the words of URLs and headlines. None names a site.
"""

from __future__ import annotations

import re

# JSON-LD and microdata types (lower-cased) by the kind of page they declare. Article types
# are `parsers.extract.page.ARTICLE_TYPES`.
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
PRODUCT_TYPES = frozenset({"product", "productgroup", "individualproduct", "offer", "vehicle"})
FORUM_TYPES = frozenset({"discussionforumposting", "qapage"})

# <body> class tokens that CMS themes write for the template they render (WordPress,
# Drupal, Shopify, Squarespace, bbPress, Stack Exchange); a pattern must match a whole token.
CMS_ARTICLE = re.compile(
    r"single-post|single-format-\w+|post-template-default|(?:page-)?node-type-article"
    r"|template-article|view-item|blog-post|article-page|single-article"
)
CMS_LISTING = re.compile(
    r"archive|category(?:-[\w-]+)?|tag(?:-[\w-]+)?|blog|search(?:-results)?|paged"
    r"|post-type-archive(?:-[\w-]+)?|tax-[\w-]+|term-[\w-]+|template-(?:collection|blog|search)"
    r"|view-list|home|front-page"
)
CMS_PAGE = re.compile(
    r"page|page-template(?:-[\w-]+)?|page-id-\d+|basicpage|page-node-type-page|node--type-page"
)
CMS_PRODUCT = re.compile(r"single-product|template-product|product-template-default")
CMS_FORUM = re.compile(
    r"bbpress|single-(?:topic|forum|reply)|(?:topic|forum)-template-default|question-page"
    r"|forum|forums|thread|xenforo|phpbb|vbulletin|discourse"
)

# Meta names.
PUBLISHED_META = ("article:published_time", "datepublished", "publishdate", "pubdate", "date")
# Highwire Press tags, which Google Scholar asks of every scholarly paper's page.
SCHOLARLY_META = ("citation_title",)
# Yoast and similar plugins label the author of posts in twitter:label1..3.
AUTHOR_LABEL_META = ("twitter:label1", "twitter:label2", "twitter:label3")
AUTHOR_LABELS = frozenset({"written by", "interview by", "author", "posted by", "by"})
FORUM_GENERATORS = re.compile(r"phpbb|vbulletin|xenforo|discourse|invision|mybb|smf|nodebb", re.I)
DOC_GENERATORS = re.compile(r"sphinx|mkdocs|docusaurus|gitbook|vitepress|docfx|antora", re.I)

# Markup of forum posts, shop items and comment threads: simple selectors, answered by the
# page's class index without walking the tree. Posts marked up as schema.org comments or
# forum postings carry dateCreated (stories carry datePublished).
FORUM_MARKERS = (
    ".username", ".message--post", ".bbWrapper", ".postbody", ".topic-post",
    "[itemprop=dateCreated]",
)  # fmt: skip
PRODUCT_MARKERS = (".price", ".quantity", ".add-to-cart", "[itemprop=price]", "[itemprop=offers]")
COMMENT_MARKERS = (
    "#comments", "#respond", "#disqus_thread", ".comment-list", ".comments-area", ".commentlist",
)  # fmt: skip

# URL vocabularies: path segments that name collections of stories, lists and site sections.
STORY_SEGMENTS = frozenset(
    {"article", "articles", "story", "stories", "news", "post", "posts", "blog", "blogs",
     "entry", "entries", "archives", "a", "insights", "press", "press-releases", "opinion",
     "features", "reviews", "diary", "column", "columns", "resources", "guides", "tips",
     "advice", "how-to", "tutorials", "learning-center", "resource-center", "knowledge-center",
     # The same in other languages.
     "noticia", "noticias", "notizia", "notizie", "nachrichten", "artikel", "actualite",
     "actualites", "nieuws", "haber", "haberler", "novosti", "novyny", "wiadomosci", "berita"}
)  # fmt: skip
LISTING_SEGMENTS = frozenset(
    {"tag", "tags", "category", "categories", "topic", "topics", "section", "sections",
     "archive", "archives", "author", "authors", "search", "label", "labels", "page",
     "collections", "genre", "browse"}
)  # fmt: skip
SECTION_ROOTS = frozenset(
    {"news", "blog", "blogs", "articles", "latest", "stories", "press", "press-releases",
     "insights", "resources", "updates", "posts", "videos", "events", "opinion", "features",
     "analysis", "reviews", "media", "newsroom", "all"}
)  # fmt: skip
SERVICE_SEGMENTS = frozenset(
    {"services", "service", "solutions", "pricing", "plans", "compare", "locations",
     "areas-served", "industries", "consulting", "why-us", "about", "about-us", "contact",
     "careers", "programs", "admissions", "tuition"}
)  # fmt: skip
HOME_PAGES = frozenset({"index.html", "index.htm", "index.php", "default.aspx", "home"})
PAGED_URL = re.compile(r"/page/\d+/?$|[?&](?:page|paged|pg|start|offset)=\d+", re.I)
# A query naming one item (story?id=5461430, article.php?aid=12, /?p=123 on WordPress).
ITEM_QUERY = re.compile(r"(?:^|&)(?:id|aid|sid|storyid|articleid|newsid|p)=\d+(?:&|$)", re.I)
SEARCH_URL = re.compile(r"[?&](?:s|q|query|search|keyword)=", re.I)
# A date in the path: /2025/03/, /2025-03-14, /202503/, a year above two more levels
# (/2013/world/8/3/...), or a day stamp in a slug (alert20250314).
DATE_PATH = re.compile(
    r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])(?:/|$)|/(?:19|20)\d\d[-/]\d\d[-/]\d\d"
    r"|/(?:19|20)\d\d/[^/]+/[^/]+/"
    r"|/(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:/|$)"
    r"|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
PRODUCT_PATH = re.compile(r"/(?:products?|shop|store|item|dp|p|buy)/", re.I)
FORUM_URL = re.compile(
    r"^[a-z]+://(?:forums?|community|discuss|answers)\.|/topic/\d|/(?:forums?|threads?|t|viewtopic"
    r"|showthread|questions|community|discussions?|comments|talk)(?:/|\.php|$)",
    re.I,
)
DOC_URL = re.compile(
    r"^[a-z]+://(?:docs?|developers?|devdocs|api|wiki)\.|readthedocs|/(?:docs?|documentation"
    r"|reference|manual|api|wiki|kb|man)(?:/|$)",
    re.I,
)

# Headline words. Stories are told as how-tos, guides, questions, numbered lists and
# comparisons; sales pages name a service, a place to buy it in, or a tool.
STORY_HEADLINE = re.compile(
    r"^\d+ |^(?:what|why|how|when|who|which|where)\b|\bhow to\b|\bguides?\b|\btips\b|\bbest\b"
    r"|\bvs\.?(?=\s)|\bversus\b|\bexplained\b|\bways\b|\breasons\b|\bthings\b|\bsteps\b"
    r"|\bmistakes\b|\bideas\b|\bultimate\b|\bcomplete\b|\beverything\b|\bneed to know\b"
    r"|\bchecklist\b|\bhistory\b|\balternatives?\b|\b(?:19|20)\d\d\b",
    re.I,
)
# A service area ends its headline with a town and its state: "Pest Control Detroit MI".
US_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH"
    "|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
SALES_HEADLINE = re.compile(
    r"\bservices?\b|\bcompany\b|\bagency\b|\bcontractors?\b|\bconsult(?:ing|ants?)\b|\brepairs?\b"
    r"|\bquotes?\b|\bpricing\b|\bcalculator\b|\bsoftware\b|\bplatform\b|\bsolutions?\b"
    r"|\bnear me\b|\bexterminators?\b|\bmovers\b|\bcertification\b|\bcourses?\b|\btutors?\b"
    rf"|(?-i:, ?[A-Z]{{2}}\b|\b[A-Z][a-z]+ (?:{US_STATES})$)",
    re.I,
)
