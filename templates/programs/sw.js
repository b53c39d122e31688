// RunStrong's service worker: Today opens without signal. Static files are served from
// the cache (their names change with their content); the Today page comes from the
// network when there is one, else from the copy kept the last time it loaded.
//
// That copy is the signed-in user's: it is dropped when the network says nobody is signed
// in, and the page itself drops it at sign-out (static/js/app.js). It may predate sets
// logged since; static/js/today.js fills those in from the phone's own record.
"use strict";

const CACHE = "runstrong-{{ version }}";
const ASSETS = [{% for url in assets %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const PAGES = [{% for url in pages %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // Each on its own: one missing file must not keep the app from working offline.
      Promise.all([
        ...ASSETS.map((url) => cache.add(url).catch(() => null)),
        ...PAGES.map((url) => fetch(url, { credentials: "same-origin" }).then((response) => keepPage(cache, url, response)).catch(() => null)),
      ]),
    ).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("runstrong-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// A page is kept only as the signed-in user saw it; a redirect (to sign in) means the user
// is signed out, and their copy must not open for whoever holds the phone next.
function keepPage(cache, url, response) {
  if (response.ok && !response.redirected) return cache.put(url, response);
  if (response.redirected || response.type === "opaqueredirect" || response.status === 403) return cache.delete(url);
  return null;
}

function fromNetworkFirst(event) {
  const url = event.request.url.split("?")[0];
  return fetch(event.request).then((response) => {
    // Replaced on every load with signal, so the copy is as fresh as the last visit.
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => keepPage(cache, url, copy)));
    return response;
  }).catch(() => caches.match(url).then((cached) => cached || Response.error()));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(
      caches.match(request).then((cached) => cached || fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })),
    );
  } else if (PAGES.includes(url.pathname)) {
    event.respondWith(fromNetworkFirst(event));
  }
});
