namespace Collab.Server.Api;

/// <summary>
/// <c>/api/docs</c>: a self-contained page (no CDN: servers often run offline) that reads <c>/openapi/v1.json</c> and
/// lists every operation with its parameters and responses, with a form to try GET calls with a token.
/// </summary>
internal static class ApiDocsPage
{
    public const string Html = """
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Collab REST API</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1d1d1f; }
  h1 { font-size: 1.5rem; } code, pre { font-family: ui-monospace, monospace; }
  .op { border: 1px solid #d0d0d5; border-radius: 6px; margin: .6rem 0; }
  .op > summary { cursor: pointer; padding: .45rem .7rem; list-style: none; }
  .m { display: inline-block; min-width: 4.2rem; font-weight: 600; text-transform: uppercase; }
  .get { color: #0a6cbd; } .post { color: #1b7f3b; } .delete { color: #b3261e; }
  .body { padding: .2rem 1rem .8rem; } table { border-collapse: collapse; } td, th { padding: .15rem .6rem .15rem 0; text-align: left; vertical-align: top; }
  #token { width: 100%; } pre { background: #f5f5f7; padding: .6rem; overflow: auto; max-height: 20rem; }
</style>
</head>
<body>
<h1>Collab REST API</h1>
<p>From <a href="/openapi/v1.json"><code>/openapi/v1.json</code></a>. Authenticate with <code>Authorization: Bearer &lt;jwt&gt;</code>
(roles: read for GET, write for POST, admin for DELETE). Errors are RFC 7807 problem details.</p>
<p><label>Token for "Try it" (optional): <input id="token" placeholder="eyJ..."></label></p>
<div id="ops">Loading…</div>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
async function main () {
  const spec = await (await fetch('/openapi/v1.json')).json();
  const ops = document.getElementById('ops');
  ops.textContent = '';
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])];
      const responses = Object.entries(op.responses ?? {}).map(([code, r]) => `<tr><td>${esc(code)}</td><td>${esc(r.description)}</td></tr>`).join('');
      const rows = params.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'required' : ''}</td><td>${esc(p.schema?.type)}</td></tr>`).join('');
      const el = document.createElement('details');
      el.className = 'op';
      el.innerHTML = `<summary><span class="m ${method}">${method}</span> <code>${esc(path)}</code> — ${esc(op.summary)}</summary>
        <div class="body">
          <h4>Parameters</h4>${rows ? `<table><tr><th>name</th><th>in</th><th></th><th>type</th></tr>${rows}</table>` : '<p>none</p>'}
          ${op.requestBody ? `<h4>Body</h4><p>${esc(Object.keys(op.requestBody.content ?? {}).join(', '))}</p>` : ''}
          <h4>Responses</h4><table>${responses}</table>
          ${method === 'get' ? `<h4>Try it</h4><form>${params.map((p) => `<label>${esc(p.name)} <input name="${esc(p.name)}" data-in="${esc(p.in)}"></label> `).join('')}<button>Send</button></form><pre hidden></pre>` : ''}
        </div>`;
      const form = el.querySelector('form');
      if (form) {
        form.addEventListener('submit', async (e) => {
          e.preventDefault();
          let url = path;
          const query = new URLSearchParams();
          for (const input of form.querySelectorAll('input')) {
            if (!input.value) continue;
            if (input.dataset.in === 'path') url = url.replace(`{${input.name}}`, encodeURIComponent(input.value));
            else query.set(input.name, input.value);
          }
          const token = document.getElementById('token').value.trim();
          const res = await fetch(url + (query.size ? '?' + query : ''), { headers: token ? { Authorization: 'Bearer ' + token } : {} });
          const out = el.querySelector('pre');
          out.hidden = false;
          const type = res.headers.get('content-type') ?? '';
          out.textContent = `${res.status} ${res.statusText}\n\n` + (type.includes('json') ? JSON.stringify(await res.json(), null, 2) : `(${(await res.arrayBuffer()).byteLength} bytes of ${type})`);
        });
      }
      ops.appendChild(el);
    }
  }
}
main().catch((e) => { document.getElementById('ops').textContent = 'Could not load /openapi/v1.json: ' + e; });
</script>
</body>
</html>
""";
}
