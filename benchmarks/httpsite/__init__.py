"""The site the HTTP benchmark serves: the app's own settings and URLs, plus a hello-world
view to measure every page against. Never used outside benchmarks/."""
