/* SIGAP mailbox login: solves the server's proof-of-work challenge before the form is sent.
   Our own code, no library. Without JavaScript the server accepts the challenge after a short wait. */
(function () {
  "use strict";
  var K = [], H0 = [];
  (function init() {
    var n = 2, found = 0;
    function frac(x) { return ((x - Math.floor(x)) * 4294967296) >>> 0; }
    while (found < 64) {
      var prime = true;
      for (var d = 2; d * d <= n; d++) { if (n % d === 0) { prime = false; break; } }
      if (prime) {
        if (found < 8) { H0[found] = frac(Math.sqrt(n)); }
        K[found] = frac(Math.cbrt(n));
        found++;
      }
      n++;
    }
  })();

  function utf8(text) {
    var out = [], i, c;
    for (i = 0; i < text.length; i++) {
      c = text.charCodeAt(i);
      if (c < 128) { out.push(c); }
      else { return Array.prototype.slice.call(new TextEncoder().encode(text)); }
    }
    return out;
  }

  /* SHA-256 of a byte array; returns the eight 32-bit words of the digest. */
  function sha256(bytes) {
    var len = bytes.length, bitLen = len * 8, words = [], i, j;
    var total = ((len + 9 + 63) >> 6) << 4;
    for (i = 0; i < total; i++) { words[i] = 0; }
    for (i = 0; i < len; i++) { words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8); }
    words[len >> 2] |= 0x80 << (24 - (len % 4) * 8);
    words[total - 1] = bitLen >>> 0;
    words[total - 2] = Math.floor(bitLen / 4294967296);
    var h = H0.slice(), w = new Array(64);
    for (i = 0; i < total; i += 16) {
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (j = 0; j < 64; j++) {
        if (j < 16) { w[j] = words[i + j] | 0; }
        else {
          var x = w[j - 15], y = w[j - 2];
          var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
          var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
          w[j] = (w[j - 16] + s0 + w[j - 7] + s1) | 0;
        }
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (k + S1 + ((e & f) ^ (~e & g)) + K[j] + w[j]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    for (i = 0; i < 8; i++) { h[i] = h[i] >>> 0; }
    return h;
  }

  function zeroBits(h) {
    var count = 0;
    for (var i = 0; i < 8; i++) {
      if (h[i] === 0) { count += 32; continue; }
      return count + Math.clz32(h[i]);
    }
    return count;
  }

  function solve(challenge, bits, done, stopped) {
    var prefix = utf8(challenge + ":"), nonce = 0;
    function chunk() {
      if (stopped && stopped()) { return; }
      var until = nonce + 20000;
      for (; nonce < until; nonce++) {
        if (zeroBits(sha256(prefix.concat(utf8(String(nonce))))) >= bits) { done(String(nonce)); return; }
      }
      setTimeout(chunk, 0);
    }
    chunk();
  }

  window.sigapPow = { sha256: sha256, zeroBits: zeroBits, solve: solve };

  var form = document.querySelector("form[data-pow-bits]");
  if (!form) { return; }
  var shownAt = Date.now();
  var waitNote = document.getElementById("pow-wait-note");
  if (waitNote) { waitNote.hidden = true; }
  form.addEventListener("submit", function (event) {
    var nonceField = form.querySelector("input[name=pow_nonce]");
    if (nonceField.value) { return; }
    event.preventDefault();
    var status = document.getElementById("pow-status"), button = form.querySelector("button[type=submit]");
    if (status) { status.hidden = false; }
    if (button) { button.disabled = true; }
    var challenge = form.querySelector("input[name=pow_challenge]").value, sent = false;
    function send() { if (!sent) { sent = true; form.submit(); } }
    // Where hashing is slow (Tor Browser's safer levels switch the JIT off), waiting out the delay
    // that the server also accepts is quicker: the form goes without the computed value then.
    var wait = parseInt(form.getAttribute("data-pow-wait") || "0", 10) * 1000 + 500;
    if (wait > 500) { setTimeout(send, Math.max(0, shownAt + wait - Date.now())); }
    solve(challenge, parseInt(form.getAttribute("data-pow-bits"), 10), function (nonce) {
      if (!sent) { nonceField.value = nonce; }
      send();
    }, function () { return sent; });
  });
})();
