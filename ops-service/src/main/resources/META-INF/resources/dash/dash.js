// Tradeplane PnL dashboard: plain JavaScript, no build step, no CDN. Reads GET /dash/pnl with the API token and
// follows GET /events (Server-Sent Events, read with fetch so the token travels in a header, never in the URL);
// each event is shown in the live tail and schedules one refresh of the numbers, at most every REFRESH_MS.
"use strict";

const REFRESH_MS = 2000;
const TAIL = 50;
const KEY = "tradeplane.token";

let token = null;
let lastLoad = 0;
let pending = null;
let lastEventId = null;

function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? "-" : String(c)));
  return e;
}

function signClass(v) {
  if (v == null) return "num";
  return "num " + (String(v).startsWith("-") ? "neg" : Number(v) > 0 ? "pos" : "");
}

/** A number cell; PnL fields are coloured by sign, the others (fees, prices, sizes) stay neutral. */
function numCell(field, v) {
  const signed = field.endsWith("_pnl") || field === "quantity";
  return el("td", { class: signed ? signClass(v) : "num", "data-field": field }, v == null ? "-" : v);
}

function setStatus(text, cls) {
  const s = $("status");
  s.textContent = text;
  s.className = "status " + (cls || "");
}

async function api(path) {
  const r = await fetch(path, { headers: { "X-OPS-TOKEN": token, "Accept": "application/json" } });
  if (r.status === 401 || r.status === 403) {
    sessionStorage.removeItem(KEY);
    showLogin("That token was refused (" + r.status + ").");
    throw new Error("unauthorized");
  }
  if (!r.ok) throw new Error(path + " answered " + r.status);
  return r.json();
}

async function load() {
  pending = null;
  lastLoad = Date.now();
  try {
    render(await api("/dash/pnl"));
  } catch (e) {
    if (e.message !== "unauthorized") setStatus("data: " + e.message, "down");
  }
}

/** One refresh soon: at most one every REFRESH_MS, however many events arrive. */
function refreshSoon() {
  if (pending) return;
  pending = setTimeout(load, Math.max(0, REFRESH_MS - (Date.now() - lastLoad)));
}

function render(d) {
  $("as-of").textContent = "as of " + new Date(d.as_of).toLocaleTimeString();
  for (const k of ["equity", "realized", "unrealized", "fees"]) {
    const v = k === "equity" ? d.equity : d[k === "fees" ? "fees" : k + "_pnl"];
    const e = $(k);
    e.textContent = v == null ? "-" : v;
    e.className = "big " + signClass(k === "equity" || k === "fees" ? null : v);
  }
  const models = $("models").tBodies[0];
  models.replaceChildren(...d.models.map(m => el("tr", { "data-model": m.model },
    el("td", {}, m.model), el("td", {}, el("span", { class: "badge " + m.status }, m.status)),
    numCell("weight", m.weight), numCell("share", m.share), numCell("budget", m.budget), numCell("exposure", m.exposure),
    numCell("realized_pnl", m.realized_pnl), numCell("unrealized_pnl", m.unrealized_pnl), numCell("fees", m.fees),
    numCell("trades", m.trades), numCell("sharpe", m.sharpe), numCell("max_drawdown_pct", m.max_drawdown_pct), numCell("win_rate", m.win_rate))));
  $("venues").tBodies[0].replaceChildren(...d.venues.map(v => el("tr", { "data-venue": v.venue },
    el("td", {}, v.venue), numCell("realized_pnl", v.realized_pnl), numCell("unrealized_pnl", v.unrealized_pnl), numCell("fees", v.fees))));
  $("positions").tBodies[0].replaceChildren(...d.positions.filter(p => Number(p.quantity) !== 0).map(p =>
    el("tr", { "data-key": p.symbol + "|" + p.model }, el("td", {}, p.symbol), el("td", {}, p.model), numCell("quantity", p.quantity),
      numCell("average_price", p.average_price), numCell("mark_price", p.mark_price), numCell("unrealized_pnl", p.unrealized_pnl))));
  $("orders").tBodies[0].replaceChildren(...d.open_orders.map(o => el("tr", { "data-order": o.id },
    el("td", {}, o.symbol), el("td", {}, o.model), el("td", {}, o.side), el("td", {}, o.type), numCell("quantity", o.quantity),
    numCell("filled_quantity", o.filled_quantity), numCell("price", o.price), el("td", {}, o.status))));
  $("unreachable").textContent = d.engines_unreachable.length ? "(no answer from " + d.engines_unreachable.join(", ") + ")" : "";
  curve(d.equity_curve);
}

function curve(points) {
  const svg = $("curve");
  svg.replaceChildren();
  if (points.length < 2) {
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("x", "10"); t.setAttribute("y", "20");
    t.textContent = "the curve appears after two allocation rounds";
    svg.append(t);
    return;
  }
  const xs = points.map(p => Date.parse(p.at)), ys = points.map(p => Number(p.equity));
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points.map((p, i) =>
    ((xs[i] - x0) / Math.max(1, x1 - x0) * 790 + 5).toFixed(1) + "," + (150 - (ys[i] - y0) / Math.max(1e-9, y1 - y0) * 140).toFixed(1)).join(" "));
  svg.append(line);
  for (const [y, v] of [[14, y1], [156, y0]]) {
    const t = document.createElementNS("http://www.w3.org/2000/svg", "text");
    t.setAttribute("x", "8"); t.setAttribute("y", String(y === 14 ? 12 : y));
    t.textContent = v.toFixed(2);
    svg.append(t);
  }
}

function showEvent(id, type, data) {
  let summary = "";
  try {
    const e = JSON.parse(data);
    const p = e.payload || {};
    summary = [p.model, p.symbol, p.side, p.quantity, p.price || p.average_price, p.status, p.reject_reason, p.policy, p.detail || p.message]
      .filter(x => x != null && x !== "").join(" ");
  } catch (ignored) { summary = data.slice(0, 200); }
  const list = $("events");
  list.prepend(el("li", { "data-id": id, "data-type": type }, el("span", { class: "type" }, type), new Date().toLocaleTimeString() + " " + summary));
  while (list.children.length > TAIL) list.lastChild.remove();
}

/** Follows GET /events; reconnects after a drop, resuming after the last event seen. */
async function follow() {
  for (;;) {
    try {
      const headers = { "X-OPS-TOKEN": token, "Accept": "text/event-stream" };
      if (lastEventId) headers["Last-Event-ID"] = lastEventId;
      const r = await fetch("/events", { headers });
      if (!r.ok) throw new Error("events answered " + r.status);
      setStatus("live", "live");
      const reader = r.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let id = null, type = "message", data = [];
          for (const line of block.split("\n")) {
            if (line.startsWith("id:")) id = line.slice(3).trim();
            else if (line.startsWith("event:")) type = line.slice(6).trim();
            else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          }
          if (data.length) {
            if (id) lastEventId = id;
            showEvent(id, type, data.join("\n"));
            refreshSoon();
          }
        }
      }
    } catch (e) {
      setStatus("reconnecting: " + e.message, "down");
    }
    await new Promise(res => setTimeout(res, 3000));
  }
}

function showLogin(message) {
  $("board").hidden = true;
  $("login").hidden = false;
  if (message) setStatus(message, "down");
}

function start() {
  $("login").hidden = true;
  $("board").hidden = false;
  load();
  follow();
}

const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
if (fromHash) {
  sessionStorage.setItem(KEY, fromHash);
  history.replaceState(null, "", location.pathname);
}
token = sessionStorage.getItem(KEY);
$("login").addEventListener("submit", ev => {
  ev.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem(KEY, token);
  start();
});
if (token) start(); else showLogin();
