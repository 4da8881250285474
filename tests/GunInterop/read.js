// Reads soul.key once and prints "value <json>".
'use strict';
const { client, once, run } = require('./lib');
const [url, soul, key] = process.argv.slice(2);
run(async () => console.log('value ' + JSON.stringify(await once(client(url).get(soul).get(key), 'read ' + soul + '.' + key))));
