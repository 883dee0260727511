"""`python -m scraper.demo_site --port 8080`: serve the demo sites in the foreground, for a
person to browse with `curl -H 'Host: rnamedia.in' http://127.0.0.1:8080/feed/`."""

from __future__ import annotations

import argparse
import threading

from scraper.demo_site.server import DemoSite


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scraper.demo_site", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--changed", action="store_true", help="serve the site after its edits")
    parser.add_argument("--synthetic", type=int, metavar="HOSTS", help="generated sites instead")
    parser.add_argument("--pages", type=int, default=100, help="pages per synthetic host")
    args = parser.parse_args(argv)
    site = (
        DemoSite.synthetic(args.synthetic, args.pages, port=args.port)
        if args.synthetic
        else DemoSite(port=args.port)
    )
    if args.changed:
        site.apply_changes()
    try:
        site.start()
    except OSError as error:
        parser.exit(1, f"cannot listen on 127.0.0.1:{args.port}: {error.strerror}\n")
    print(f"Serving {len(site.hosts)} demo sites on {site.base_url} (Ctrl-C stops):")
    for host in site.hosts[:10]:
        print(f"  curl -H 'Host: {host}' {site.base_url}/feed/")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
