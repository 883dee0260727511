"""The images field: each picture of the article with its caption, credit and alt."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parsers.extract.image_urls import image_identity, largest_candidate
from parsers.extract.images import find_images
from parsers.extract.page import Page
from parsers.record import Image

URL = "https://news.example.com/2025/12/06/drones/"
FETCHED = datetime(2025, 12, 6, 12, 0, tzinfo=UTC)


def images_of(html: str, main_selector: str | None = "article") -> tuple[Image, ...]:
    page = Page.from_html(html, URL, FETCHED)
    main = page.tree.css_first(main_selector) if main_selector else None
    return find_images(page, main)


def test_figure_with_figcaption_gives_absolute_url_caption_and_alt() -> None:
    html = """<article><p>Text.</p>
      <figure><img src="/img/drone.jpg" alt="A drone on a runway">
      <figcaption>The drone before its first flight.</figcaption></figure></article>"""
    assert images_of(html) == (
        Image(
            "https://news.example.com/img/drone.jpg",
            "The drone before its first flight.",
            None,
            "A drone on a runway",
        ),
    )


def test_credit_element_inside_figcaption_is_split_off() -> None:
    html = """<article><figure><img src="a.jpg">
      <figcaption><span class="caption">Troops at the border.</span>
      <span class="credit">Photo by Jane Doe/AFP</span></figcaption></figure></article>"""
    (image,) = images_of(html)
    assert image.url == "https://news.example.com/2025/12/06/drones/a.jpg"
    assert (image.caption, image.credit) == ("Troops at the border.", "Jane Doe/AFP")


@pytest.mark.parametrize(
    "credit_markup",
    [
        "<cite>Jane Doe</cite>",
        "<small>Photo: Jane Doe</small>",
        '<span itemprop="copyrightHolder"><span>Credit</span>Jane Doe</span>',
        '<span class="image-attribution">Jane Doe</span>',
    ],
)
def test_dedicated_credit_elements(credit_markup: str) -> None:
    html = f"""<article><figure><img src="a.jpg">
      <figcaption>A corvette at sea. {credit_markup}</figcaption></figure></article>"""
    (image,) = images_of(html)
    assert (image.caption, image.credit) == ("A corvette at sea.", "Jane Doe")


def test_wordpress_caption_with_credit_in_text() -> None:
    html = """<article><div id="attachment_7" class="wp-caption aligncenter">
      <img src="https://cdn.example.com/uploads/ship-1024x576.jpg" width="1024" height="576">
      <p class="wp-caption-text">The frigate in dry dock. Photo: Navy Media</p></div></article>"""
    (image,) = images_of(html)
    assert image.url == "https://cdn.example.com/uploads/ship-1024x576.jpg"
    assert (image.caption, image.credit) == ("The frigate in dry dock.", "Navy Media")


def test_wordpress_block_image() -> None:
    html = """<article><figure class="wp-block-image size-large">
      <img src="/u/tank.jpg" alt=""><figcaption class="wp-element-caption">A tank.
      </figcaption></figure></article>"""
    (image,) = images_of(html)
    assert (image.caption, image.alt) == ("A tank.", None)


def test_lazy_loaded_images_use_the_real_source() -> None:
    html = """<article>
      <figure><img src="data:image/gif;base64,R0lGOD" data-src="/real/one.jpg">
        <figcaption>One</figcaption></figure>
      <figure><img src="/img/lazy-placeholder.png"
        data-srcset="/real/two-300x200.jpg 300w, /real/two-1024x683.jpg 1024w">
        <figcaption>Two</figcaption></figure>
      <figure><picture><source srcset="/real/three.webp 1x, /real/three@2x.webp 2x"></picture>
        <figcaption>Three</figcaption></figure>
      <figure><img data-lazy-src="/real/four.jpg"><figcaption>Four</figcaption></figure>
      <p>Text.</p><img src="data:image/gif;base64,R0lGOD" data-original="/real/five.jpg">
      <span class="caption">Five</span>
    </article>"""
    found = {image.caption: image.url for image in images_of(html)}
    assert found == {
        "One": "https://news.example.com/real/one.jpg",
        "Two": "https://news.example.com/real/two-1024x683.jpg",
        "Three": "https://news.example.com/real/three@2x.webp",
        "Four": "https://news.example.com/real/four.jpg",
        "Five": "https://news.example.com/real/five.jpg",
    }


def test_figure_drawn_by_script_names_its_picture_in_microdata() -> None:
    html = """<article><figure itemscope itemtype="http://schema.org/ImageObject"
      itemid="https://img.example.com/rally.jpg"><div data-testid="lazy"></div>
      <figcaption>The rally.</figcaption></figure></article>"""
    assert images_of(html) == (Image("https://img.example.com/rally.jpg", "The rally."),)


def test_loose_image_with_caption_sibling_through_a_link_wrapper() -> None:
    html = """<article><p>Intro text.</p>
      <div class="photo"><a href="/big.jpg"><img src="/small.jpg"></a>
      <p class="image-caption">Launch of the rocket (Photo by John Smith/AFP)</p></div>
      <p>More text.</p></article>"""
    (image,) = images_of(html)
    assert (image.caption, image.credit) == ("Launch of the rocket", "John Smith/AFP")


def test_caption_of_a_figure_placed_just_after_it() -> None:
    html = """<article><div><figure><img src="/a.jpg" data-credit="Agency X"></figure>
      <figcaption class="small caption">A parade in the capital.</figcaption></div></article>"""
    (image,) = images_of(html)
    assert (image.caption, image.credit) == ("A parade in the capital.", "Agency X")


def test_gallery_figure_of_figures_keeps_each_caption() -> None:
    html = """<article><figure class="gallery">
      <figure><img src="/g1.jpg"><figcaption>First</figcaption></figure>
      <figure><img src="/g2.jpg"><figcaption>Second</figcaption></figure>
      <figcaption>The whole gallery</figcaption></figure></article>"""
    assert [(i.url.rsplit("/", 1)[-1], i.caption) for i in images_of(html)] == [
        ("g1.jpg", "First"),
        ("g2.jpg", "Second"),
    ]


def test_lead_image_is_the_header_figure_the_page_shows_with_its_caption() -> None:
    html = """<html><head>
      <meta property="og:image" content="https://news.example.com/up/drone.jpg">
      <meta property="og:image:alt" content="A drone">
      </head><body><article><header><h1>Drone plant</h1>
      <figure class="featured"><img src="https://news.example.com/up/drone-1024x576.jpg">
      <figcaption>Turkey plans a drone plant. Image courtesy: AI-generated picture via Sora
      </figcaption></figure></header>
      <div class="entry-content"><p>Body text of the article.</p>
      <figure><img src="/up/map.png"><figcaption>A map.</figcaption></figure></div>
      </article></body></html>"""
    assert images_of(html, ".entry-content") == (
        Image(
            "https://news.example.com/up/drone-1024x576.jpg",
            "Turkey plans a drone plant.",
            "AI-generated picture via Sora",
            "A drone",
        ),
        Image("https://news.example.com/up/map.png", "A map."),
    )


def test_featured_image_above_the_body_without_a_figure_is_the_lead() -> None:
    html = """<head><meta property="og:image" content="https://news.example.com/up/lead.jpg">
      </head><body><article><div class="featured-image">
      <img src="/up/lead.jpg" width="1600" height="900" alt="Launch of a munition"></div>
      <header><h1>Deal signed</h1></header>
      <div class="entry-content"><p>Body.</p></div></article></body>"""
    assert images_of(html, ".entry-content") == (
        Image("https://news.example.com/up/lead.jpg", None, None, "Launch of a munition"),
    )


def test_caption_kept_in_a_data_attribute_of_the_image_link() -> None:
    html = """<article><div class="featured"><figure>
      <a href="/big.jpg" data-caption="The frigate leaves the hall.&lt;br&gt;Photo: Royal Navy">
      <img src="/frigate-696x464.jpg" width="696" height="464"></a></figure></div></article>"""
    (image,) = images_of(html)
    assert (image.caption, image.credit) == ("The frigate leaves the hall.", "Royal Navy")


def test_amp_pages_use_amp_img() -> None:
    html = """<article><amp-img src="/icon.png" width="32" height="32"></amp-img>
      <figure class="wp-block-image"><amp-img src="/jets-1024x576.jpg" width="1024"
      height="576" alt="Jets"></amp-img><figcaption>Fighters on the apron.</figcaption>
      </figure></article>"""
    assert images_of(html) == (
        Image("https://news.example.com/jets-1024x576.jpg", "Fighters on the apron.", None, "Jets"),
    )


def test_lead_image_from_jsonld_image_object_with_its_caption() -> None:
    html = """<html><head><script type="application/ld+json">
      {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "H",
       "image": {"@type": "ImageObject", "url": "https://cdn.example.com/lead.jpg",
                 "caption": "The summit. Photo: Jane Doe"}}
      </script><meta property="og:image" content="https://cdn.example.com/other.jpg">
      </head><body><article><p>Text.</p></article></body></html>"""
    assert images_of(html) == (
        Image("https://cdn.example.com/lead.jpg", "The summit.", "Jane Doe"),
    )


def test_lead_image_alone_when_there_is_no_main_container() -> None:
    html = """<head><meta name="twitter:image" content="/share.jpg"></head>
      <body><figure><img src="/x.jpg"><figcaption>Elsewhere</figcaption></figure></body>"""
    assert images_of(html, None) == (Image("https://news.example.com/share.jpg"),)


def test_size_variants_are_one_image_and_captions_merge_into_the_first() -> None:
    html = """<article><p>Text.</p>
      <figure><img src="https://cdn.example.com/p/ship-300x200.jpg">
      <figcaption>The ship.</figcaption></figure>
      <img src="https://cdn.example.com/p/ship.jpg?w=640&amp;quality=80" alt="Ship">
      <img src="https://cdn.example.com/p/ship@2x.jpg">
      <img src="https://cdn.example.com/size/w600/p/ship.jpg">
      </article>"""
    assert images_of(html) == (
        Image("https://cdn.example.com/p/ship-300x200.jpg", "The ship.", None, "Ship"),
    )


def test_lead_declared_in_meta_takes_the_url_and_caption_of_its_copy_in_the_body() -> None:
    html = """<head><meta property="og:image" content="https://cdn.example.com/p/map.jpg">
      <meta property="og:image:alt" content="Map"></head><body><article>
      <figure><img src="https://cdn.example.com/p/tank.jpg"><figcaption>A tank.</figcaption>
      </figure><p>Text long enough to push the next figure well below the top of the body,
      so that it is not mistaken for the lead image shown at the top.</p>
      <figure><img src="https://cdn.example.com/p/map-768x512.jpg"><figcaption>The map.
      </figcaption></figure></article></body>"""
    assert images_of(html) == (
        Image("https://cdn.example.com/p/map-768x512.jpg", "The map.", None, "Map"),
        Image("https://cdn.example.com/p/tank.jpg", "A tank."),
    )


def test_site_root_as_og_image_is_not_an_image() -> None:
    html = '<head><meta property="og:image" content="https://news.example.com"></head>'
    assert images_of(html, None) == ()


def test_different_query_identities_stay_apart() -> None:
    first = "https://img.example.com/dims?resize=980&image_uri=a.jpg"
    second = "https://img.example.com/dims?resize=640&image_uri=b.jpg"
    assert image_identity(first) != image_identity(second)
    assert image_identity(first) == image_identity(first.replace("980", "320"))


def test_icons_avatars_logos_pixels_and_tiny_images_are_skipped() -> None:
    html = """<article>
      <img src="/static/icons/share.svg">
      <img src="/img/author.jpg" class="avatar avatar-96 photo">
      <img src="/brand/logo.png" alt="Logo">
      <img src="https://www.facebook.com/tr?id=1&ev=PageView" width="1" height="1">
      <img src="https://pixel.wp.com/g.gif">
      <img src="/img/spacer.gif">
      <img src="data:image/png;base64,iVBORw0KGgo=">
      <img src="/img/thumb.jpg" width="60" height="60">
      <img src="/img/silicon-chip.jpg" alt="Silicon chip" width="800" height="0">
    </article>"""
    assert [image.url for image in images_of(html)] == [
        "https://news.example.com/img/silicon-chip.jpg"
    ]


def test_largest_srcset_candidate_handles_commas_inside_urls() -> None:
    srcset = (
        "https://c.example.com/t_fit-560w,f_auto/a.jpg 1x, "
        "https://c.example.com/t_fit-1120w,f_auto/a.jpg 2x"
    )
    assert largest_candidate(srcset) == "https://c.example.com/t_fit-1120w,f_auto/a.jpg"
    assert largest_candidate("") is None


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<article></article>",
        "<article><figure></figure><figcaption></figcaption></article>",
        '<article><img src="http://[::1"><img srcset=", ,"><img src=" "></article>',
        '<article><figure><img src="javascript:alert(1)"><figcaption>x</figcaption></figure>',
        '<head><script type="application/ld+json">{"@type":"NewsArticle","image":[{}]}</script>'
        '<meta property="og:image" content=""></head><article><img width="x" src="/a.jpg">',
        "<article>" + "<div>" * 2000 + '<img src="/deep.jpg">' + "</div>" * 2000 + "</article>",
    ],
)
def test_garbage_input_never_raises(html: str) -> None:
    images = images_of(html)
    assert all(image.url.startswith(("http://", "https://")) for image in images)
