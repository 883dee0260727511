"""Selectors and vocabularies of the body extractor, kept as data so they can be tuned alone."""

from __future__ import annotations

import re
from functools import lru_cache

from parsers.date_relative import RELATIVE_AGO

# Never content: removed before anything is measured.
JUNK_TAGS = (
    "script, style, noscript, template, svg, canvas, iframe, object, embed, link, "
    "button, input, select, textarea, option, dialog, map, audio, video"
)

HIDDEN_SELECTOR = "[hidden], [aria-hidden=true], [style*='display:none'], [style*='display: none']"

# Page chrome: removed unless it holds the known article container.
CHROME_TAGS = "nav, aside, footer, [role=navigation], [role=contentinfo], [role=complementary]"

# Known article containers, most specific first; the first long enough wins.
CONTAINER_SELECTORS = (
    "[itemprop=articleBody]",
    "[property=articleBody]",
    ".entry-content",
    ".post-content",
    ".article-body",
    ".article__body",
    ".article-body__content",
    ".articleBody",
    ".article-content",
    ".article__content",
    ".story-body",
    ".story-content",
    ".post-body",
    ".post-entry",
    ".td-post-content",
    ".tdb-block-inner",
    ".single-post-content",
    ".c-article-body",
    ".rich-text",
    ".body-text",
    "#article-body",
    "#articleBody",
    "#article-content",
    ".article-text",
    ".news-content",
    ".content-body",
    ".main-content article",
    "main article",
    "article",
    "[role=main]",
    "main",
)

# Boilerplate words in class/id tokens. A token matches when it is the word, or the word
# with one leading namespace segment ("post-tags", "c-share"), with any trailing segments
# ("share-bar", "related_posts"). Component names such as "elementor-widget-container" or
# "has-sidebar" must not match: they wrap whole pages.
BOILERPLATE_WORDS = (
    "share", "sharing", "sharedaddy", "social", "addtoany", "a2a", "jp-relatedposts",
    "related", "relatedposts", "recommended", "recommendations", "more-stories", "readmore",
    "read-more", "also-read", "newsletter", "subscribe", "subscription", "signup", "sign-up",
    "sponsored", "advert", "advertisement", "ad", "ads", "adsbygoogle", "ad-slot", "ad-container",
    "outbrain", "taboola", "comments", "comment", "comment-respond", "respond", "disqus",
    "author-bio", "authorbio", "author-box", "about-author", "author-info", "byline-bio",
    "breadcrumb", "breadcrumbs", "pagination", "pager", "cookie", "cookies", "consent", "gdpr",
    "tags", "tag-list", "categories", "trending", "popular", "most-read", "skip-link",
    "screen-reader-text", "sr-only", "visually-hidden", "post-navigation",
    "rel-posts", "inline-related", "print-only", "toolbar", "author", "authors", "about-the-author",
    "post-meta", "entry-meta", "article-meta", "byline", "rating", "post-ratings", "reading-time",
    "read-time", "table-of-contents", "cta", "call-to-action", "donate", "donation",
    "membership", "interstitial", "republish", "republish-notice", "lire-aussi", "a-lire-aussi",
    "voir-aussi", "support-box", "promo-box", "inline-promo", "notices", "regwall",
    "restricted-content", "user-details", "user-extras", "user-info", "userinfo", "postprofile",
    "user-stats", "userstats",
)  # fmt: skip
# Words that count only as a whole token: "widget" alone is a sidebar box, while
# "widget-span" or "so-panel widget" builders wrap whole articles in it.
BOILERPLATE_WHOLE_TOKENS = frozenset({"widget-area", "widgets", "sidebar", "comments-area"})
# Words that only count at the start of a token ("sidebar-left", not "has-sidebar").
BOILERPLATE_LEADING_WORDS = (
    "sidebar", "nav", "navbar", "navigation", "menu", "footer", "banner", "promo",
    "popup", "modal", "masthead", "site-header",
)  # fmt: skip
NEVER_BOILERPLATE_FIRST_PARTS = frozenset({"has", "with", "no", "is", "page", "single"})
_WORDS = frozenset(BOILERPLATE_WORDS)
_LEADING = frozenset(BOILERPLATE_LEADING_WORDS)


# Words so specific that they mark boilerplate wherever they stand in a token
# ("field--name-comment", "block-related-articles"), and the names of cookie consent
# managers, whose banners carry no "cookie" token ("cmplz-cookiebanner", "axeptio_widget").
BOILERPLATE_ANYWHERE_WORDS = frozenset(
    {"comment", "comments", "related", "newsletter", "sharing", "disqus", "outbrain", "taboola",
     "recommended", "social", "cookiebanner", "cookiebot", "cmplz", "axeptio", "iubenda"}
)  # fmt: skip
# A reader's comment, or a forum post: forum software names its posts comments.
COMMENT_WORDS = frozenset({"comment", "comments"})
# Every word below matches a token only where one of its parts is a word's first part.
_FIRST_PARTS = frozenset(
    word.split("-")[0] for word in (*_WORDS, *_LEADING, *BOILERPLATE_ANYWHERE_WORDS)
)
_TOKEN_PARTS = re.compile(r"[-_]+|(?<=[a-z])(?=[A-Z])")


@lru_cache(maxsize=8192)
def is_boilerplate_label(label: str) -> bool:
    """True when one class/id token names a boilerplate block (set look-ups: this is hot)."""
    return any(map(_is_boilerplate_token, label.split()))


@lru_cache(maxsize=16384)
def _is_boilerplate_token(token: str) -> bool:
    """Cached by token too: labels carry unique ids ("post-123") beside common tokens."""
    if token.lower() in BOILERPLATE_WHOLE_TOKENS:
        return True
    parts = _token_parts(token)
    if not parts or parts[0] in NEVER_BOILERPLATE_FIRST_PARTS or _FIRST_PARTS.isdisjoint(parts):
        return False
    return _is_boilerplate_parts(parts)


@lru_cache(maxsize=16384)
def _token_parts(token: str) -> tuple[str, ...]:
    """A class/id token's lower-cased words: "post-tags", "related_posts", "customerReviews"."""
    if token == token.lower():  # no camelCase boundary: plain splits will do
        return tuple(part for part in token.replace("_", "-").split("-") if part)
    return tuple(part.lower() for part in _TOKEN_PARTS.split(token) if part)


def label_has_word(label: str, words: frozenset[str]) -> bool:
    """Whether a token of the "class id" label has one of `words` among its words."""
    return any(not words.isdisjoint(_token_parts(token)) for token in label.split())


# A product page's customer reviews ("product-reviews", "customerReviews", "reviews__list").
REVIEW_WORDS = frozenset({"reviews"})


def _is_boilerplate_parts(parts: tuple[str, ...]) -> bool:
    if parts[0] in _LEADING or "-".join(parts[:2]) in _LEADING:
        return True
    for start in (0, 1):
        if parts[start : start + 1] and (
            parts[start] in _WORDS or "-".join(parts[start : start + 2]) in _WORDS
        ):
            return True
    return not BOILERPLATE_ANYWHERE_WORDS.isdisjoint(parts)


# class/id tokens that make a container more likely to be the article.
POSITIVE_PATTERN = re.compile(
    r"article|body|content|entry|main|post|story|text|blog|news|prose|single",
    re.IGNORECASE,
)
NEGATIVE_PATTERN = re.compile(
    r"comment|footer|sidebar|related|share|social|widget|menu|nav|promo|ad-|banner|"
    r"sponsor|teaser|card|list|rail|aside|header|masthead",
    re.IGNORECASE,
)

# Short lines that are page chrome whatever container they sit in.
BOILERPLATE_LINES = re.compile(
    r"^(?:advertisement|advertising|sponsored|ad|share|share this( article| story| post)?|"
    r"share on \w+|tweet|email|print|comments?|leave a (reply|comment)|"
    r"avatar photo|related( articles| posts| stories| topics(?: (?:&|and) resources)?)?|"
    r"read more|read next|"
    r"continue reading|click here to subscribe|subscribe( now)?|sign up|"
    r"follow us(?: on (?:\w+|social media!?))?|skip to (main )?content|loading\.*|"
    r"you (?:may also|might(?: also)?) like|recommended( for you)?|trending( now)?|most popular|"
    r"you may (?:also )?be interested in(?: the following\b.*)?:?|other .{1,30} top stories|"
    r"more from (?!(?:the|this|that|his|her|their)\b)[^:]{1,40}|"
    r"explore more (?:blogs|articles|posts|stories)\b.*|"
    r"stay connected with (?:me|us)!?|add .{1,40} as a preferred source on google\b.*|"
    r"tags?\b:?.*|filed under:?.*|posted in:?.*|image:?|photo:?|copyright.*|©.*|"
    r"\d+ min(?:ute)?s? read|read later|no votes so far.*|be the first to (?:rate|comment).*|"
    r"thanks for (?:visiting|reading)!?|also (?:check|read|see):?|table of contents|"
    r"learn more about our contributors|(?:updated|published|posted)(?: on)?:?|"
    r"for immediate release|release (?:#|no\.?|number) ?[\w-]+|page \d+ of \d+|"
    # affiliate disclosures
    r"(?:as an amazon associate|products are chosen independently|"
    r"this (?:post|article|page) (?:may )?contains? affiliate links?|"
    r"we may (?:earn|receive) (?:a )?(?:small )?commission|"
    r"this (?:website|site) uses affiliate links)\b.*|"
    # a shop's cart, stock and delivery lines around a product's own text
    r"(?:[$€£]\s?[\d.,]+\s+)?add to (?:cart|bag|basket|wishlist)\b.*|added to (?:your )?cart\b.*|"
    r"remove all \d+ items? from your cart\??|out of stock|sold out|coming soon!?|"
    r"discontinued(?:[.!]?| this (?:product|item) is no longer available\b.*)|"
    r"(?:[$€£]\s?[\d.,]+ flat rate \| )?free (?:standard |fast |express )?"
    r"(?:shipping|delivery|returns)(?:[.!*]?|(?:\s*[&+*|!(:]|\s+[$€£]?\d|"
    r"\s+(?:and (?:free|easy)|over|worldwide|on (?:all |every )?(?:orders?|purchases?)|"
    r"for (?:all )?(?:orders?|members)|"
    r"within|with \d)\b).*)|pick[ -]?up in store\b.*|ships from(?::| and sold by\b).*|"
    r"returns? (?:&|and) exchanges? accepted\b.*|members earn [\d,]+ points\b.*|"
    r"(?:people|customers) who (?:viewed|bought) this (?:item|product) also\b.*|"
    r"this is what customers who viewed this product bought|"
    r"get notified (?:by email )?when this (?:item|product) is (?:back )?in stock\b.*|"
    r"call for in-store availability!?|your payment information is processed securely\b.*|"
    # a forum's post furniture and a page builder's unrendered shortcodes
    r"join(?:ed)? date:? \w.*|(?:posts|upvotes|likes|reputation):? [\d,]+|"
    r"[\d,]+ posts(?: · joined \d{4})?|reply with quote\b.*|\S+ likes? this\.?|"
    r"\d+ repl(?:y|ies) to this (?:topic|thread)|top posters in this (?:topic|thread)|"
    r"sent from my .{1,60} using .{1,60}|report (?:inappropriate content|this post)|"
    r"this (?:topic|thread) was automatically closed\b.*|"
    r"(?:you must )?(?:log|sign) in to (?:answer|reply|post|be able to post)\b.*|"
    r"\[/?(?:vc|et_pb|fusion|av|cs)_\w+.*|"
    # a listing's result counts and sorting, a page's feedback prompt
    r"showing \d+(?:\s?[–-]\s?\d+)? of [\d,]+ (?:results|products|items)|"
    r"[\d,]+ (?:results|products|items)|sort by:?(?: \w+)?|results per page:?.*|"
    r"no products in the cart\.?|your cart is empty\.?|quick (?:shop|view)\b.*|who is online|"
    r"was this (?:page |article |answer |post |information )?helpful\??.*|"
    r"submit (?:a )?correction|(?:designed by .{1,40} \| )?(?:proudly )?powered by wordpress\.?|"
    # a recipe or lifestyle blog's pinning and rating prompts
    r"(?:like (?:it|this)\??\s*)?pin (?:it|this|me)(?: (?:for later|now|here))?!?|"
    r"pin (?:it )?for later!?|did you enjoy this (?:article|post|story)\??|"
    r"(?:did you (?:make|try)|have you (?:made|tried)|tried|made) (?:this|one of (?:my|our)) "
    r"recipes?\?.*)$",
    re.IGNORECASE,
)
# Longer lines are prose even when they open like chrome (a photo credit run into the first
# paragraph: "© Agency The minister said…"), unless they are a dated copyright notice.
BOILERPLATE_LINE_MAX_CHARS = 160
COPYRIGHT_NOTICE = re.compile(r"^(?:copyright|©).{0,40}?\b(?:19|20)\d\d\b", re.IGNORECASE)


def is_boilerplate_line(text: str) -> bool:
    if len(text) > BOILERPLATE_LINE_MAX_CHARS:
        return COPYRIGHT_NOTICE.match(text) is not None
    return BOILERPLATE_LINES.match(text) is not None


_MONTH_WORDS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|mars|avr|mai|juin|juil|août|"
    r"sept|déc|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık|"
    r"січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листоп|груд"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# A short line that only announces other articles ("Read more: <link>").
PROMO_LINE = re.compile(
    r"^(?:read (?:more|also|next)|also read|see also|related|recommended|lire aussi|à lire aussi|"
    r"(?:next|previous|prev) (?:article|post|story)|you (?:may|might) (?:also )?like|"
    r"voir aussi|lesen sie auch|mehr zum thema|leer más|lee también|ayrıca oku|ayrıca bakınız|"
    r"читайте також|читайте также)\s*:",
    re.IGNORECASE,
)
# A call to subscribe, sign in or comment: the newsletter box, the paywall and the comment
# prompt that sit inside article containers, whatever their markup.
CALL_TO_ACTION_LINE = re.compile(
    r"^(?:(?:join|subscribe to|sign up (?:for|to)|get|receive)\b.{0,60}?"
    r"\b(?:newsletters?|e-newsletter|inbox|mailing list)\b|"
    r"subscribe to (?:get access|receive|get the latest)\b|"
    r"(?:create an account|sign in|log in|you need to be a member)\b"
    r".{0,40}?\bto (?:leave a )?comment\b|"
    r"add a comment|join the (?:conversation|discussion)|share this (?:article|story|post)\b|"
    r"article continues below|summarize with ai|"
    r"(?:love|loved|like|liked|enjoy|enjoyed|enjoying) (?:what you(?:'|’)re reading|"
    r"this (?:article|post|story))\b|"
    r"this (?:article|post|story) is (?:exclusive to|for) (?:paid )?[\w+]* ?subscribers)",
    re.IGNORECASE,
)
# A byline written into the text ("By Jane Doe and John Roe").
BYLINE_LINE = re.compile(
    r"^(?i:by|written by|par|von|por|di|door|av|автор|yazan|yazar)\s*:?\s+"
    r"[A-ZÀ-ÖØ-ÞА-ЯІЇЄҐ][^.!?]{1,80}$"
)
_METADATA_WORDS = (
    r"published|updated|posted|last updated|modified|publié|mis à jour|"
    r"veröffentlicht|aktualisiert|publicado|actualizado|giriş|güncelleme|yayınlanma|"
    r"опубліковано|оновлено|опубликовано|обновлено"
)
# A dateline of metadata ("Published 26 September 2025", "Giriş: 12.03.2025 10:30").
METADATA_DATE_LINE = re.compile(
    rf"^(?=.{{0,100}}$)(?=.*(?:{_MONTH_WORDS}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{RELATIVE_AGO.pattern}))"
    rf".*?\b(?:{_METADATA_WORDS})\b",
    re.IGNORECASE,
)
MAX_LABEL_LINE_CHARS = 120
# METADATA_DATE_LINE's words, for a cheap test that must pass before it runs (its month
# look-ahead is slow). In ASCII text only these can match: "ı" matches "i" when case is
# ignored, the other words hold letters that no ASCII letter matches.
_METADATA_WORD = re.compile(r"\b(?:" + _METADATA_WORDS + r")\b", re.IGNORECASE)
_ASCII_METADATA_WORDS = (
    "published", "updated", "posted", "modified", "aktualisiert", "publicado", "actualizado",
    "yayinlanma",
)  # fmt: skip


def is_chrome_line(text: str) -> bool:
    """Bylines, datelines and "Read more:" teasers that sit inside article containers."""
    if len(text) > MAX_LABEL_LINE_CHARS:
        return False
    if PROMO_LINE.match(text) or BYLINE_LINE.match(text) or CALL_TO_ACTION_LINE.match(text):
        return True
    return (
        not text.endswith(".")
        and _may_name_metadata(text)
        and METADATA_DATE_LINE.match(text) is not None
    )


def _may_name_metadata(text: str) -> bool:
    """False only when no word of METADATA_DATE_LINE can occur in the text."""
    if text.isascii():
        lowered = text.lower()
        return any(word in lowered for word in _ASCII_METADATA_WORDS)
    return _METADATA_WORD.search(text) is not None


# A line that is nothing but a date or a time is page metadata, not article text.
DATE_ONLY_LINE = re.compile(
    rf"^(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}})|(?:{_MONTH}\s+\d{{1,2}}"
    rf"(?:st|nd|rd|th)?,?\s+\d{{4}})|(?:{_MONTH}\s+\d{{4}})|(?:\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})"
    r"|(?:\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?))$",
    re.IGNORECASE,
)

# class/id tokens of caption blocks: skipped in the body, read by the images extractor.
CAPTION_PATTERN = re.compile(
    r"(?:^|[\s_-])(?:caption|wp-caption-text|figcaption|credit|photo-credit|image-credit)"
    r"(?:$|[\s_-])",
    re.IGNORECASE,
)

# Block-level tags: their text is a paragraph of its own.
BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
        "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
        "figure", "figcaption", "address", "hr", "br", "form", "fieldset", "details",
        "summary", "center", "caption",
    }
)  # fmt: skip

# Tags skipped inside the chosen container: captions belong to images, not the body.
SKIP_IN_BODY = frozenset({"figcaption", "figure", "picture", "img", "style", "script", "noscript"})

# Blocks that the HTML parser never lets hold another block: read in one call.
LEAF_BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "pre"})

# An h1 in the body is the page title unless prose came before it (block_filters): some
# publishing platforms mark every section heading of an article as h1.
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Permalink anchors that documentation generators append to headings ("Setting up¶").
# A heading's permalink anchor printed after it ("Title ¶", "Title #", "Title#"); the "#"
# of a one-letter name stays ("C#", "F#").
PERMALINK_MARK = re.compile(r"\s*(?:[¶§🔗]|(?<!\b[A-Za-z])#)\s*$")
PARAGRAPH_SELECTOR = "p, pre, blockquote, td, li, h2, h3"
TEXT_HOLDER_SELECTOR = "div, section, article, font"
# Divs with no block inside: paragraphs written as divs.
_BLOCKS_IN_DIVS = (
    "div, p, ul, ol, dl, li, table, section, article, blockquote, pre, h1, h2, h3, h4, h5, "
    "h6, form, header, footer, nav, aside, figure"
)
INLINE_DIV_SELECTOR = f"div:not(:has({_BLOCKS_IN_DIVS}))"

# Headings that open the teasers or reviews after an article (block_filters cuts there).
END_OF_ARTICLE_HEADING = re.compile(
    r"^(?:(?:related|relevant)"
    r"(?: articles| posts| stories| content| reading| news| items| products)?|"
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|read (?:this )?next|"
    r"more (?:from|like this|stories|articles|news|to explore|to read)\b.*|"
    r"recommended(?: for you| articles| posts| stories| reading)?|"
    r"recent(?:ly)? (?:posts|articles|by\b.*)|popular (?:posts|articles|stories)|"
    r"most (?:popular|read)|latest (?:posts|articles|news|stories)|"
    r"trending(?: now| stories| topics)?|keep reading|explore more|"
    r"(?:customer |user )?reviews|customers also (?:bought|viewed)|people (?:also|who viewed).*|"
    r"similar (?:items|products|articles|posts)|leave a (?:reply|comment)|"
    r"explore related questions|about the author|(?:also|more) in (?:the )?news|in other news)\W*$",
    re.IGNORECASE,
)
