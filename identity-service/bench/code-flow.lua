-- wrk script: each connection is one browser doing the full code flow with PKCE S256 as the demo gateway client:
-- GET /oidc/authorize -> POST /oidc/login (CSRF field + cookie, Argon2id password check) -> POST /oidc/token.
-- Run with as many threads as connections (-t N -c N) so each Lua state drives one connection in order.
local verifier = "bench-verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
local challenge = "VnbqXeuJTsLy7nKkzMn9YDdWfImEkuMnnxUWWaanBUU" -- base64url(SHA-256(verifier))
local users = {"33010619850312001X", "33010619920708002X", "330110200102150052", "gat.operator", "dsj.reviewer"}
local password = "Zj%402026onenet"
local basic = "Basic Z2F0ZXdheTpkZW1vLWdhdGV3YXktc2VjcmV0" -- gateway:demo-gateway-secret
local step, req, csrf, cookie, code, redirect = 1, nil, nil, nil, nil, nil
logins, failed = 0, 0 -- globals: done() reads them per thread
local n = 0
local all = {}

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function setup(thread)
  table.insert(all, thread)
end

function init(args)
  -- the gateway's registered redirect URI follows the issuer: <origin>/console/callback
  redirect = os.getenv("REDIRECT_URI") or (wrk.scheme .. "://" .. wrk.host .. ":" .. wrk.port .. "/console/callback")
end

function request()
  if step == 1 then
    n = n + 1
    local path = "/oidc/authorize?response_type=code&client_id=gateway&scope=openid&state=s" .. n ..
      "&redirect_uri=" .. urlencode(redirect) .. "&code_challenge=" .. challenge .. "&code_challenge_method=S256"
    return wrk.format("GET", path, {})
  elseif step == 2 then
    local user = users[(n % #users) + 1]
    local body = "req=" .. req .. "&csrf=" .. csrf .. "&username=" .. user .. "&password=" .. password
    return wrk.format("POST", "/oidc/login", {["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "onenet_csrf=" .. csrf}, body)
  else
    local body = "grant_type=authorization_code&code=" .. code .. "&redirect_uri=" .. urlencode(redirect) ..
      "&code_verifier=" .. verifier
    return wrk.format("POST", "/oidc/token", {["Content-Type"] = "application/x-www-form-urlencoded",
      ["Authorization"] = basic}, body)
  end
end

function response(status, headers, body)
  if step == 1 then
    req = body:match('name="req" value="([^"]+)"')
    csrf = body:match('name="csrf" value="([^"]+)"')
    if status == 200 and req and csrf then step = 2 else failed = failed + 1 end
  elseif step == 2 then
    local location = headers["Location"] or headers["location"] or ""
    code = location:match("[?&]code=([^&]+)")
    if status == 303 and code then step = 3 else failed = failed + 1; step = 1 end
  else
    if status == 200 and body:find('"id_token"') then logins = logins + 1 else failed = failed + 1 end
    step = 1
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, t in ipairs(all) do
    total = total + t:get("logins")
    bad = bad + t:get("failed")
  end
  io.write(string.format("logins %d\nfailed %d\n", total, bad))
end
