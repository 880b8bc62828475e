-- bench/pg_post.lua - wrk script for bench/pg.sh: each request creates an AI system.
-- The headers given with -H (the bearer token) are sent with each request.
local n = 0
request = function()
	local h = { ["Content-Type"] = "application/json" }
	for k, v in pairs(wrk.headers) do h[k] = v end
	n = n + 1
	return wrk.format("POST", nil, h, '{"name": "bench ' .. n .. '"}')
end
