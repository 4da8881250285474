// Writes soul.key = JSON value and waits for the ack.
'use strict';
const { client, put, run } = require('./lib');
const [url, soul, key, value] = process.argv.slice(2);
run(() => put(client(url).get(soul).get(key), JSON.parse(value)));
