/* The check-in code changes every minute: fetch the image again just before it expires
   (the server says how many seconds are left in data-qr-refresh), then every minute. */
(function () {
  "use strict";
  var img = document.querySelector("img.qr[data-qr-refresh]");
  if (!img) { return; }
  var base = img.getAttribute("src").split("?")[0];
  function refresh() {
    img.setAttribute("src", base + "?t=" + Date.now());
    window.setTimeout(refresh, 60000);
  }
  var first = parseInt(img.getAttribute("data-qr-refresh"), 10) || 60;
  window.setTimeout(refresh, Math.max(1, first - 1) * 1000);
})();
