-- wrk script for POST /strategy/signal: every request carries a new signal_id (a market order of 0.001, BUY and SELL
-- in turn), so every request runs the whole path. wrk runs for a fixed time; the summary says how many signals
-- were answered in it, and whether any answer was not a 202.
-- Usage: wrk -t2 -c16 -d20s --latency -s bench/signals.lua http://127.0.0.1:8080/strategy/signal -- TOKEN [SYMBOL]
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
end

function init(args)
  token = args[1]
  symbol = args[2] or "BTCUSDT.PAPER"
  run = tostring(os.time())
  sent = 0
  answered = 0
  non_202 = 0
end

function request()
  sent = sent + 1
  local side = (sent % 2 == 0) and "SELL" or "BUY"
  local body = string.format('{"signal_id":"bench-%s-%d-%d","symbol":"%s","side":"%s","quantity":"0.001"}',
    run, tid, sent, symbol, side)
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["X-OPS-TOKEN"] = token}, body)
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 202 then
    non_202 = non_202 + 1
    if non_202 <= 3 then
      io.write("unexpected " .. status .. ": " .. body .. "\n")
    end
  end
end

function done(summary, latency, requests)
  io.write(string.format("answers: %d in %.2f s = %.1f signals/s; non-2xx or socket errors: status %d, connect %d, read %d, write %d, timeout %d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("p%s latency: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
