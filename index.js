'use strict';
// For programmatic use; n8n itself finds the node and credential through package.json "n8n".
const { OrderProxies } = require('./dist/nodes/OrderProxies/OrderProxies.node');
const { StatProxiesApi } = require('./dist/credentials/StatProxiesApi.credentials');

module.exports = { OrderProxies, StatProxiesApi };
