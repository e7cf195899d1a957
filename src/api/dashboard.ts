/**
 * The dashboard page served at `/`: a single self-contained HTML page that reads the ops API.
 * It lists the latest interchanges, acknowledgements and dead deliveries and searches by control
 * number or purchase order number.
 */
export function dashboardHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edigate</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#1b1f24}h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.5rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}
.rejected,.dead{color:#b00020}.accepted,.delivered{color:#116611}form{margin:.5rem 0}input{padding:.3rem}
</style></head><body>
<h1>edigate</h1>
<form id="search"><label>Control number or PO number <input name="q" autofocus></label> <button>Search</button></form>
<h2>Interchanges</h2><table id="interchanges"></table>
<h2>Acknowledgements</h2><table id="acks"></table>
<h2>Dead deliveries</h2><table id="dead"></table>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function table(id, url, cols) {
  const r = await fetch(url); const j = await r.json();
  document.getElementById(id).innerHTML = '<tr>' + cols.map((c) => '<th>' + c + '</th>').join('') + '</tr>' +
    j.items.map((it) => '<tr>' + cols.map((c) => '<td class="' + esc(it.status || it.state) + '">' + esc(it[c]) + '</td>').join('') + '</tr>').join('');
}
async function load(q) {
  const extra = q ? '&q=' + encodeURIComponent(q) : '';
  await table('interchanges', '/api/interchanges?limit=50' + extra, ['id','partnerId','controlNumber','status','ackCode','setCount','receivedAt']);
  await table('acks', '/api/acks?limit=20', ['id','kind','partnerId','status','fileName','createdAt']);
  await table('dead', '/api/deliveries?status=dead&limit=20', ['id','destination','messageType','attempts','lastError']);
}
document.getElementById('search').addEventListener('submit', (e) => { e.preventDefault(); load(new FormData(e.target).get('q')); });
load('');
</script></body></html>`;
}
