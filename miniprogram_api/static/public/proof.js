/* 邻里公开栏: check a record's transparency-log proof in the browser, with nothing but the
   public /api/v1/transparency endpoints of this site and WebCrypto.
   1. the record text hashes to its leaf: SHA-256(0x00 ‖ record);
   2. the audit path leads from that leaf to the root of the signed checkpoint (RFC 6962:
      node = SHA-256(0x01 ‖ left ‖ right));
   3. the checkpoint text is signed by the log's Ed25519 key (where the browser supports
      Ed25519 in WebCrypto; otherwise the page says so);
   4. the record is the one this page shows (same title).
   The section is a <section class="proof" data-proof-…>; the result is written into it. */
(function () {
  "use strict";
  var box = document.querySelector("section.proof[data-proof-town]");
  if (!box) { return; }
  var statusEl = box.querySelector(".proof-status");
  var stepsEl = box.querySelector(".proof-steps");
  var enc = new TextEncoder();

  function setStatus(state, text) {
    statusEl.setAttribute("data-state", state);
    box.setAttribute("data-result", state);
    statusEl.textContent = text;
  }
  function step(ok, text) {
    var li = document.createElement("li");
    li.setAttribute("data-ok", ok === null ? "skip" : ok ? "yes" : "no");
    li.textContent = (ok === null ? "— " : ok ? "✓ " : "✗ ") + text;
    stepsEl.appendChild(li);
    return ok;
  }
  function unb64(text) {
    var raw = atob(text), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }
  function concat() {
    var total = 0, i, parts = arguments;
    for (i = 0; i < parts.length; i++) { total += parts[i].length; }
    var out = new Uint8Array(total), at = 0;
    for (i = 0; i < parts.length; i++) { out.set(parts[i], at); at += parts[i].length; }
    return out;
  }
  function equal(a, b) {
    if (a.length !== b.length) { return false; }
    var diff = 0;
    for (var i = 0; i < a.length; i++) { diff |= a[i] ^ b[i]; }
    return diff === 0;
  }
  function sha256(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
  }
  function leafHash(bytes) { return sha256(concat(new Uint8Array([0]), bytes)); }
  function nodeHash(l, r) { return sha256(concat(new Uint8Array([1]), l, r)); }
  function getJSON(url) {
    return fetch(url, {credentials: "omit", headers: {Accept: "application/json"}})
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) { var e = new Error((body.error && body.error.message) || res.status);
            e.code = body.error && body.error.code; throw e; }
          return body.data;
        });
      });
  }

  /* RFC 9162 §2.1.3.2: the root the path leads to from leaf `index` of a tree of `size`. */
  function rootFromPath(index, size, leaf, path) {
    if (index < 0 || index >= size) { return Promise.resolve(null); }
    var fn = index, sn = size - 1, r = leaf, i = 0;
    function next() {
      if (i === path.length) { return Promise.resolve(sn === 0 ? r : null); }
      if (sn === 0) { return Promise.resolve(null); }
      var p = path[i++], done;
      if ((fn & 1) || fn === sn) {
        done = nodeHash(p, r).then(function (h) {
          r = h;
          while (!(fn & 1) && fn !== 0) { fn >>= 1; sn >>= 1; }
        });
      } else {
        done = nodeHash(r, p).then(function (h) { r = h; });
      }
      return done.then(function () { fn >>= 1; sn >>= 1; return next(); });
    }
    return next();
  }

  /* A C2SP signed note: the signed text (ending "\n"), then "\n", then "— name sig" lines. */
  function splitNote(note) {
    var cut = note.lastIndexOf("\n\n");
    if (cut < 0) { throw new Error("bad note"); }
    var text = note.slice(0, cut + 1), sigs = [];
    note.slice(cut + 2).split("\n").forEach(function (line) {
      var parts = line.split(" ");
      if (parts.length === 3 && parts[0] === "\u2014") { sigs.push({name: parts[1], raw: unb64(parts[2])}); }
    });
    var lines = text.slice(0, -1).split("\n");
    return {text: text, origin: lines[0], size: parseInt(lines[1], 10), root: unb64(lines[2]), sigs: sigs};
  }

  function checkSignature(cp, note) {
    var name = cp.vkey.split("+")[0], pub = unb64(cp.public_key);
    var sig = note.sigs.filter(function (s) { return s.name === name; })[0];
    if (!sig || sig.raw.length !== 68) { return Promise.resolve(false); }
    return sha256(concat(enc.encode(name + "\n"), new Uint8Array([1]), pub)).then(function (h) {
      if (!equal(h.slice(0, 4), sig.raw.slice(0, 4))) { return false; }
      return crypto.subtle.importKey("raw", pub, {name: "Ed25519"}, false, ["verify"])
        .then(function (key) {
          return crypto.subtle.verify({name: "Ed25519"}, key, sig.raw.slice(4), enc.encode(note.text));
        }, function () { return "unsupported"; });
    });
  }

  function run() {
    if (!window.crypto || !crypto.subtle || !window.fetch || !window.TextEncoder) {
      setStatus("unsupported", "本浏览器不支持本地校验（需要 HTTPS 页面和较新的浏览器）。可用 python -m app.transparency.verify 离线校验。");
      return;
    }
    var api = box.getAttribute("data-api");
    var type = box.getAttribute("data-proof-type"), id = box.getAttribute("data-proof-id");
    var expectTitle = box.getAttribute("data-proof-title");
    var leaf, cp, note, leafOk, titleOk;
    Promise.all([getJSON(api + "/records/" + encodeURIComponent(type) + "/" + encodeURIComponent(id)),
                 getJSON(api + "/checkpoint")])
      .then(function (got) {
        leaf = got[0]; cp = got[1];
        note = splitNote(cp.checkpoint);
        var bytes = enc.encode(leaf.record);
        var record = JSON.parse(leaf.record), shown = record.body || {};
        titleOk = step(record.record_type === type && String(record.record_id) === id
                       && (shown.title || shown.matter) === expectTitle, "日志中的记录就是本页的内容（标题一致）");
        return leafHash(bytes);
      })
      .then(function (h) {
        leafOk = step(equal(h, unb64(leaf.leaf_hash)), "记录原文的哈希与日志叶子一致（第 " + (leaf.leaf_index + 1) + " 条）");
        if (leaf.leaf_index >= note.size) {
          setStatus("pending", "记录已写入透明日志，正在等待下一次签名检查点，请稍后再来校验。");
          return null;
        }
        return getJSON(api + "/proof/inclusion?index=" + leaf.leaf_index + "&tree_size=" + note.size)
          .then(function (proof) {
            return rootFromPath(leaf.leaf_index, note.size, unb64(leaf.leaf_hash), proof.path.map(unb64));
          })
          .then(function (root) {
            var pathOk = step(root !== null && equal(root, note.root) && note.origin === leaf.log,
                              "包含证明：从这条记录可算到检查点的根哈希（日志共 " + note.size + " 条）");
            return checkSignature(cp, note).then(function (sigOk) {
              if (sigOk === "unsupported") {
                step(null, "本浏览器不支持 Ed25519，未能校验检查点签名（公钥 " + cp.key_id + "）");
              } else {
                sigOk = step(sigOk === true, "检查点由" + cp.town_code + "透明日志密钥签名（公钥 " + cp.key_id + "）");
              }
              var allOk = titleOk && leafOk && pathOk && sigOk !== false;
              if (!allOk) {
                setStatus("failed", "校验失败：记录或日志与签名不符，内容可能被改动过。请向街道(乡镇)纪检监察反映。");
              } else if (sigOk === "unsupported") {
                setStatus("partial", "哈希校验通过；本浏览器无法校验签名，请换用较新的浏览器核对。");
              } else {
                setStatus("verified", "校验通过：这条记录自公开以来未被改动，且已被签名的透明日志收录。");
              }
            });
          });
      })
      .catch(function (err) {
        if (err && err.code === "transparency.no_checkpoint") {
          setStatus("pending", "透明日志还没有签名的检查点，请稍后再来校验。");
        } else {
          setStatus("failed", "校验失败：" + (err && err.message ? err.message : "无法读取证明"));
        }
      });
  }
  run();
})();
