-- wrk script: alternates GET /set_session and GET /get_session, each request with one of the
-- session cookies listed in the file given as the script argument (one value per line).
local keys = {}
local n = 0

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(keys, line) end
  end
end

request = function()
  n = n + 1
  local key = keys[math.random(#keys)]
  local path = (n % 2 == 0) and "/get_session" or "/set_session"
  return wrk.format("GET", path, { ["Host"] = "testserver", ["Cookie"] = "sessionid=" .. key })
end
