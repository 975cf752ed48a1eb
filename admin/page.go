package admin

import (
	"encoding/json"
	"html/template"
	"io"
)

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"pct":   func(f float64) string { return template.HTMLEscapeString(fmtPct(f)) },
	"money": fmtMoney,
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crmlink admin: {{.Org}}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}.state{font-weight:bold}.off{color:#b00}.on{color:#070}
.msg{background:#ffd;padding:.5em;border:1px solid #cc9}pre{background:#f6f6f6;padding:.5em}
img{max-width:100%;border:1px solid #eee;margin:.5em 0}code#new-key{background:#efe;padding:.2em .4em;border:1px solid #9c9}
.keys form{display:inline;margin:0}
</style></head><body>
<h1>crmlink admin — org <span id="org">{{.Org}}</span></h1>
{{with .Message}}<p class="msg" id="message">{{.}}</p>{{end}}
<section id="integration"><h2>Integration</h2>
<p>The integration is <span id="state" class="state {{if .Disabled}}off">off{{else}}on">on{{end}}</span>.</p>
<form method="post" action="integration"><input type="hidden" name="csrf" value="{{$.CSRF}}">
{{if .Disabled}}<input type="hidden" name="state" value="on"><button id="toggle">Turn on</button>
{{else}}<input type="hidden" name="state" value="off"><button id="toggle">Turn off</button>{{end}}
</form></section>
<section id="match"><h2>Last sync: match report</h2>
{{if .HasReport}}<p>Run from {{.Report.Started.Format "2006-01-02 15:04:05 MST"}} to {{.Report.Finished.Format "15:04:05 MST"}}.
<a href="report.csv">CSV</a> · <a href="report.json">JSON</a></p>
<table id="match-table"><tr><th>object</th><th>read</th><th>filtered</th><th>invalid</th><th>manual</th><th>sync</th><th>rejected</th><th>ambiguous</th><th>none</th><th>linked share</th>{{if .HasPrevious}}<th>change in linked</th>{{end}}</tr>
{{range $i, $o := .Report.Objects}}{{$c := $o.Counts}}<tr><td>{{$o.Object}}</td><td>{{$c.Read}}</td><td>{{$c.Filtered}}</td><td>{{$c.Invalid}}</td><td>{{$c.Manual}}</td><td>{{$c.Sync}}</td><td>{{$c.Rejected}}</td><td>{{$c.Ambiguous}}</td><td>{{$c.None}}</td><td>{{pct $c.LinkedShare}}</td>{{if $.HasPrevious}}<td>{{(index $.Changes $i).Counts.Linked}}</td>{{end}}</tr>
{{end}}</table>
<img alt="score histogram" src="charts/scores.svg"> <img alt="outcome share per object" src="charts/share.svg">
{{else}}<p id="no-report">No sync has run yet.</p>{{end}}</section>
<section id="roi"><h2>ROI</h2>
{{if .HasROI}}<table id="roi-table"><tr><th></th><th>opportunities</th><th>open pipeline</th><th>won revenue</th><th>win rate</th><th>days to close</th></tr>
<tr><td>with a written-back activity</td><td>{{.ROI.Influenced.Opportunities}}</td><td>{{money .ROI.Influenced.Pipeline}}</td><td>{{money .ROI.Influenced.WonRevenue}}</td><td>{{pct .ROI.Influenced.WinRate}}</td><td>{{printf "%.1f" .ROI.Influenced.DaysToClose}}</td></tr>
<tr><td>without</td><td>{{.ROI.NotInfluenced.Opportunities}}</td><td>{{money .ROI.NotInfluenced.Pipeline}}</td><td>{{money .ROI.NotInfluenced.WonRevenue}}</td><td>{{pct .ROI.NotInfluenced.WinRate}}</td><td>{{printf "%.1f" .ROI.NotInfluenced.DaysToClose}}</td></tr></table>
<p id="roi-note">As of {{.ROI.AsOf.Format "2006-01-02"}}, chosen stage {{.ROI.Stage}}{{with .ROI.Currency}}, amounts in {{.}}{{end}}.{{with .ROI.OtherCurrency}} {{.}} opportunities in other currencies are left out.{{end}}{{with .ROI.Skipped}} {{.}} opportunities in stages not in the picklist are left out.{{end}}</p>
<img alt="ROI per month" src="charts/roi.svg">
{{else if .ROIError}}<p>{{.ROIError}}</p>{{else}}<p>No ROI report configured.</p>{{end}}</section>
{{if .HasKeys}}<section id="keys"><h2>Partner keys</h2>
<p>Keys let a partner's server mint viewer tokens of the widget for this org. A key is shown once, when created; only its description is kept here.</p>
{{with .NewKey}}<p>New key: <code id="new-key">{{.}}</code></p>{{end}}
{{range .Keys}}<h3>{{.Env}}</h3>
{{if .Keys}}<table class="keys" id="keys-{{.Env}}"><tr><th>key ID</th><th>partner</th><th>created</th><th>state</th><th></th></tr>
{{range .Keys}}<tr id="key-{{.ID}}"><td>{{.ID}}</td><td>{{.Partner}}</td><td>{{.Created.Format "2006-01-02 15:04 MST"}}</td><td class="key-state">{{if .Revoked}}revoked{{else}}active{{end}}</td><td>{{if .Revoked}}{{else if .Shared}}shared with other orgs{{else}}<form method="post" action="revoke-key"><input type="hidden" name="csrf" value="{{$.CSRF}}"><input type="hidden" name="id" value="{{.ID}}"><button class="revoke">Revoke</button></form>{{end}}</td></tr>
{{end}}</table>{{else}}<p>No key.</p>{{end}}{{end}}
<form method="post" action="keys" id="create-key"><input type="hidden" name="csrf" value="{{$.CSRF}}"><input name="partner" id="partner" autocomplete="off" placeholder="partner"> <select name="env" id="env"><option value="production">production</option><option value="test">test</option><option value="development">development</option></select> <button id="create-key-button">Create key</button></form>
</section>{{end}}
<section id="purge"><h2>Purge</h2>
<p>Deletes every mapping and rejection stored for this org, and its match reports. Type the org ID to confirm.</p>
<form method="post" action="purge"><input type="hidden" name="csrf" value="{{$.CSRF}}"><input name="confirm" id="confirm" autocomplete="off" placeholder="{{.Org}}"> <button id="purge-button">Purge</button></form>
{{if .AuditBefore}}<h3>Audit before</h3><pre id="audit-before">{{.AuditBefore}}</pre><h3>Audit after</h3><pre id="audit-after">{{.AuditAfter}}</pre>{{end}}
</section>
</body></html>
`))
