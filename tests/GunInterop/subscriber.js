// Subscribes to a soul and prints every value of key K it sees ("value <json>"), until killed.
// Used by the reconnect test: the client must restore its subscription by itself after the gateway restarts.
'use strict';
const { client } = require('./lib');
const [url, soul, key] = process.argv.slice(2);
const G = client(url);
G.get(soul).get(key).on((v) => console.log('value ' + JSON.stringify(v)));
