"""python-plexapi against the simulator: connect, list sections, load a movie section.

usage: plexapi_fidelity.py URL TOKEN EXPECTED_MOVIES
       plexapi_fidelity.py account PLEX_TV_URL TOKEN SERVER_NAME MACHINE_IDENTIFIER
Exit 0 and print OK lines on success; exit 77 when plexapi is not importable.

The account mode points python-plexapi's plex.tv URLs at the simulator, signs in with
MyPlexAccount(token=...), lists resources() and connects to the server with
resource.connect(ssl=False): plain http to the listed addresses only, so no name is ever
looked up (plex.direct names would need real DNS).
"""
import sys

try:
    from plexapi.server import PlexServer
except Exception as e:  # noqa: BLE001 - any import problem means "skip"
    print(f"SKIP: plexapi not importable: {e}")
    sys.exit(77)


def account(plex_tv: str, token: str, name: str, machine: str) -> int:
    from plexapi.myplex import MyPlexAccount, MyPlexResource

    MyPlexAccount.key = f"{plex_tv}/api/v2/user"
    MyPlexResource.key = f"{plex_tv}/api/v2/resources?includeHttps=1&includeRelay=1&includeIPv6=1"
    acct = MyPlexAccount(token=token, timeout=30)
    print(f"OK account {acct.username} {acct.id} subscription={acct.subscriptionActive}")
    if not acct.username or acct.authToken != token:
        print("FAIL account has no username or a different token")
        return 1
    resources = acct.resources()
    print("OK resources " + ",".join(f"{r.name}:{r.provides}" for r in resources))
    servers = [r for r in resources if r.name == name]
    if not servers:
        print(f"FAIL no resource named {name!r}")
        return 1
    res = servers[0]
    if res.clientIdentifier != machine or "server" not in res.provides:
        print(f"FAIL resource {res.clientIdentifier} provides {res.provides}")
        return 1
    print(f"OK connections {len(res.connections)} " + ",".join(c.uri for c in res.connections))
    server = res.connect(ssl=False, timeout=10)
    print(f"OK connected {server.friendlyName} {server.machineIdentifier} at {server._baseurl}")
    if server.machineIdentifier != machine:
        print("FAIL connected to another machine")
        return 1
    sections = server.library.sections()
    print("OK sections " + ",".join(f"{s.key}:{s.type}" for s in sections))
    return 0


def main() -> int:
    if sys.argv[1] == "account":
        return account(*sys.argv[2:6])
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
