/**
 * The browser script of every page (served as /assets/app.js, plain ES2017, no build step): draws uPlot charts
 * from `<script type="application/json" id="chart-<name>">` blocks, follows a running run's log by polling the
 * log API from the last byte offset, and posts "run now" for schedules. Text is inserted with textContent only.
 */
export const CLIENT_SCRIPT = `'use strict';
(function () {
  function drawCharts() {
    if (typeof uPlot === 'undefined') return;
    document.querySelectorAll('[data-chart]').forEach(function (el) {
      var data = JSON.parse(document.getElementById('chart-' + el.dataset.chart).textContent || '[]');
      var xs = data.map(function (p) { return p[0]; });
      var ys = data.map(function (p) { return p[1]; });
      var best = el.dataset.best ? Number(el.dataset.best) : undefined;
      var time = el.dataset.x === 'time';
      var opts = {
        width: Math.min(el.clientWidth || 720, 900), height: 260,
        scales: { x: { time: time } },
        series: [{ label: el.dataset.x }, {
          label: el.dataset.y, stroke: '#2563eb', width: 2,
          points: { show: true, size: 7, fill: '#2563eb' }
        }],
        hooks: best === undefined ? {} : { draw: [function (u) {
          var i = xs.indexOf(best); if (i < 0) return;
          var cx = u.valToPos(xs[i], 'x', true), cy = u.valToPos(ys[i], 'y', true), ctx = u.ctx;
          ctx.save(); ctx.strokeStyle = '#dc2626'; ctx.lineWidth = 3; ctx.beginPath(); ctx.arc(cx, cy, 9, 0, 2 * Math.PI); ctx.stroke(); ctx.restore();
        }] }
      };
      el.uplot = new uPlot(opts, [xs, ys], el);
      el.dataset.drawn = 'true';
    });
  }
  function followLog() {
    var pre = document.getElementById('log');
    if (!pre || pre.dataset.follow !== 'true') return;
    var offset = Number(pre.dataset.offset || '0');
    var state = document.getElementById('log-state');
    function tick() {
      fetch(pre.dataset.src + '?offset=' + offset, { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
        if (j.text) { pre.appendChild(document.createTextNode(j.text)); pre.scrollTop = pre.scrollHeight; }
        offset = j.offset; pre.dataset.offset = String(offset);
        if (j.terminal) { pre.dataset.follow = 'false'; if (state) state.textContent = 'run ' + j.state; return; }
        setTimeout(tick, 500);
      }).catch(function () { setTimeout(tick, 2000); });
    }
    setTimeout(tick, 500);
  }
  function runNow() {
    document.querySelectorAll('button.run-now').forEach(function (b) {
      b.addEventListener('click', function () {
        var out = b.parentElement.querySelector('.run-result');
        b.disabled = true; out.textContent = 'running…';
        fetch(b.dataset.url, { method: 'POST', credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
          out.textContent = j.error ? 'error: ' + j.error : j.status + (j.runUid ? ' (run ' + j.runUid + ')' : '');
          out.dataset.status = j.status || 'error';
          b.disabled = false;
        });
      });
    });
  }
  function abortRun() {
    document.querySelectorAll('button.abort-run').forEach(function (b) {
      b.addEventListener('click', function () {
        var out = b.parentElement.querySelector('.abort-result');
        b.disabled = true; out.textContent = 'aborting…';
        fetch(b.dataset.url, { method: 'POST', credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (j) {
          out.textContent = j.error ? 'error: ' + j.error : j.state;
          out.dataset.state = j.state || 'error';
        });
      });
    });
  }
  window.addEventListener('DOMContentLoaded', function () { drawCharts(); followLog(); runNow(); abortRun(); });
})();
`;

/** The stylesheet (/assets/app.css). */
export const STYLESHEET = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
nav{display:flex;gap:18px;align-items:center;padding:10px 20px;background:#0f172a}
nav a{color:#cbd5e1;text-decoration:none}nav a.brand{color:#fff;font-weight:700;margin-right:12px}
main{padding:16px 24px;max-width:1400px}h1{font-size:22px;margin:8px 0 14px}h2{font-size:16px;margin:22px 0 8px}
table{border-collapse:collapse;background:#fff}th,td{padding:5px 9px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
table.list{width:100%}table.list thead th{background:#f1f5f9;font-weight:600}
table.kv th{color:#64748b;font-weight:500;width:140px}.num{text-align:right;font-variant-numeric:tabular-nums}
.mono{font-family:ui-monospace,Menlo,monospace;font-size:12px}.muted{color:#64748b}.error{color:#b91c1c;white-space:pre-wrap}
.state{padding:1px 8px;border-radius:9px;font-size:12px;background:#e2e8f0}.state-completed,.state-ready{background:#dcfce7;color:#166534}
.state-error,.state-aborted{background:#fee2e2;color:#991b1b}.state-running,.state-pending{background:#dbeafe;color:#1e40af}
.label{background:#eef2ff;color:#3730a3;padding:0 6px;border-radius:4px;font-size:12px}
tr.best{background:#fef9c3}.best-mark{color:#a16207;font-weight:700}
pre.log{background:#0f172a;color:#e2e8f0;padding:10px;max-height:420px;overflow:auto;white-space:pre-wrap}
form.filters{display:flex;gap:12px;align-items:end;margin-bottom:12px;flex-wrap:wrap}form.filters label{display:flex;flex-direction:column;font-size:12px;color:#475569}
input,select,button{font:inherit;padding:4px 6px}.pager a{margin-right:14px}ul.tree{list-style:none;padding-left:18px}
.chart{background:#fff;padding:8px;margin-bottom:10px;max-width:920px}
`;
