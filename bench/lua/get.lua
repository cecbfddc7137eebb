-- GET one path with the bench key. args: path, key
package.path = package.path .. ';' .. (os.getenv('BENCH_LUA_DIR') or '.') .. '/?.lua'
require('report')
local path, key
function init(args)
  path = args[1]
  key = args[2]
end
function request()
  return wrk.format('GET', path, { ['Authorization'] = 'Bearer ' .. key })
end
