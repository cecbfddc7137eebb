-- POST /customers with a unique email and Idempotency-Key per request. args: key, run prefix
package.path = package.path .. ';' .. (os.getenv('BENCH_LUA_DIR') or '.') .. '/?.lua'
require('report')
local key, prefix
local counter = 0
local thread_id = 0
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set('tid', next_id)
end
function init(args)
  key = args[1]
  prefix = args[2]
  thread_id = tid or 0
end
function request()
  counter = counter + 1
  local n = prefix .. '_' .. thread_id .. '_' .. counter
  local body = '{"name":"Bench Customer ' .. n .. '","email":"bench.' .. n .. '@example.com","phone":null,"metadata":{"source":"bench"}}'
  return wrk.format('POST', '/customers', {
    ['Authorization'] = 'Bearer ' .. key,
    ['Content-Type'] = 'application/json',
    ['Idempotency-Key'] = 'idem_' .. n,
  }, body)
end
