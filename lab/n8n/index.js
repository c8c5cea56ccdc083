'use strict';
// The n8n driver: everything the suites, the benchmarks and `npm start` do to a real n8n,
// the way its users run it. It knows nothing about StatProxies.
//   install.js     a pinned n8n version, installed once into a cache folder outside the clone
//   folder.js      a fresh user folder per run; the CLI: import, execute
//   package.js     build, pack, and install a tarball the way n8n installs community packages
//   server.js      `n8n start` / `n8n worker` processes and their logs
//   rest.js        the editor's REST API: owner, login, credential test, manual runs
//   executions.js  stored executions, read from the database; the poller that waits for them
module.exports = {
	...require('./install'),
	...require('./folder'),
	...require('./package'),
	...require('./server'),
	...require('./rest'),
	...require('./executions'),
};
