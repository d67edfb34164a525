/*
 * nova-upgrade-lab embed script.
 *
 *   <script src="https://…/nova-upgrade-lab/embed.js" defer></script>
 *   <nova-upgrade-lab lesson="pin-the-compute-api" view="editor,trace" readonly></nova-upgrade-lab>
 *   <nova-upgrade-lab scenario="shelve-offload-unpinned" view="trace" theme="dark"></nova-upgrade-lab>
 *   <nova-upgrade-lab lesson="pin-the-compute-api" lang="zh-CN"></nova-upgrade-lab>   (lang: en or zh-CN)
 *
 * Each element becomes an iframe of the playground in embed mode (served
 * from the same place as this script). The iframe reports its content
 * height with postMessage; only messages from that origin and of the
 * expected shape are taken.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('./', (script && script.src) || location.href);
  var ORIGIN = base.origin;
  // Query parameters; the share payload goes in the fragment (#share=…), which is never sent to a server.
  var ATTRS = ['lesson', 'scenario', 'view', 'theme', 'readonly', 'lang'];
  var VIEW = /^(lesson|editor|cluster|trace|inspector)(,(lesson|editor|cluster|trace|inspector))*$/;
  var frames = {};
  var counter = 0;

  function src(el, id) {
    var q = new URLSearchParams();
    q.set('embed', '1');
    q.set('frame', id);
    ATTRS.forEach(function (a) {
      var v = el.getAttribute(a);
      if (v === null) return;
      if (a === 'view' && !VIEW.test(v)) return;
      if ((a === 'lesson' || a === 'scenario') && !/^[a-z0-9-]{1,80}$/.test(v)) return;
      if (a === 'theme' && v !== 'dark' && v !== 'light') return;
      if (a === 'lang' && v !== 'en' && v !== 'zh-CN') return;
      if (a === 'readonly' && (v === 'false' || v === '0')) return;
      q.set(a, a === 'readonly' ? '1' : v);
    });
    var share = el.getAttribute('share');
    if (share && !/^[A-Za-z0-9+\-$_.!~*'()%]{1,200000}$/.test(share)) share = null;
    return new URL('index.html?' + q.toString() + (share ? '#share=' + share : ''), base).toString();
  }

  // The same bounds as a resize message: a page cannot ask for a 0 px or a 10^9 px frame.
  function clampHeight(h) {
    return Math.max(120, Math.min(4000, Math.ceil(h)));
  }

  function initialHeight(attr) {
    var h = parseInt(attr || '', 10);
    return isFinite(h) && h > 0 ? clampHeight(h) : 420;
  }

  function upgrade(el) {
    if (el.__novaLabFrame) return;
    counter += 1;
    var id = 'nul' + counter + '-' + Math.random().toString(36).slice(2, 8);
    var iframe = document.createElement('iframe');
    iframe.src = src(el, id);
    iframe.title = el.getAttribute('title') || 'nova-upgrade-lab: live Nova upgrade example';
    iframe.loading = 'lazy';
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.style.cssText = 'width:100%;box-sizing:content-box;border:1px solid #d0d7de;border-radius:8px;display:block;';
    iframe.style.height = initialHeight(el.getAttribute('height')) + 'px';
    el.__novaLabFrame = iframe;
    el.style.display = el.style.display || 'block';
    frames[id] = iframe;
    el.appendChild(iframe);
  }

  window.addEventListener('message', function (ev) {
    if (ev.origin !== ORIGIN) return;
    var d = ev.data;
    if (!d || typeof d !== 'object' || d.source !== 'nova-upgrade-lab' || d.type !== 'resize') return;
    if (typeof d.frame !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(d.frame)) return;
    if (typeof d.height !== 'number' || !isFinite(d.height) || d.height < 0) return;
    if (!Object.prototype.hasOwnProperty.call(frames, d.frame)) return;
    var iframe = frames[d.frame];
    if (!iframe || iframe.contentWindow !== ev.source) return;
    iframe.style.height = clampHeight(d.height) + 'px';
    iframe.setAttribute('data-sized', 'true');
  });

  if (window.customElements && !customElements.get('nova-upgrade-lab')) {
    customElements.define(
      'nova-upgrade-lab',
      class extends HTMLElement {
        connectedCallback() {
          upgrade(this);
        }
      },
    );
  } else {
    document.querySelectorAll('nova-upgrade-lab').forEach(upgrade);
  }
})();
