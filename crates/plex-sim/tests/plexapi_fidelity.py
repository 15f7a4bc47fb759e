"""python-plexapi against the simulator: connect, list sections, load a movie section.

usage: plexapi_fidelity.py URL TOKEN EXPECTED_MOVIES
Exit 0 and print OK lines on success; exit 77 when plexapi is not importable.
"""
import sys

try:
    from plexapi.server import PlexServer
except Exception as e:  # noqa: BLE001 - any import problem means "skip"
    print(f"SKIP: plexapi not importable: {e}")
    sys.exit(77)


def main() -> int:
    url, token, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
    server = PlexServer(url, token, timeout=30)
    print(f"OK server {server.friendlyName} {server.machineIdentifier} {server.version}")
    sections = server.library.sections()
    print("OK sections " + ",".join(f"{s.key}:{s.type}:{s.title}" for s in sections))
    movies = [s for s in sections if s.type == "movie"]
    if not movies:
        print("FAIL no movie section")
        return 1
    items = movies[0].all()
    print(f"OK movies {len(items)}")
    if len(items) != expected:
        print(f"FAIL expected {expected} movies, got {len(items)}")
        return 1
    first = items[0]
    print(f"OK first {first.ratingKey} {first.title!r} {first.year} genres={[g.tag for g in first.genres]}")
    if not first.title or first.type != "movie":
        print("FAIL first item has no title or wrong type")
        return 1
    shows = [s for s in sections if s.type == "show"]
    if shows:
        show = shows[0].all()[0]
        episodes = show.episodes()
        print(f"OK show {show.title!r} episodes={len(episodes)} leafCount={show.leafCount}")
        if len(episodes) != show.leafCount:
            print("FAIL episode count differs from leafCount")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
