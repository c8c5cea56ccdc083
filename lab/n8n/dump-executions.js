'use strict';
// Prints every stored execution of an n8n SQLite database as JSON: the rows as n8n stored
// them, read with n8n's own sqlite3 build, under n8n's own Node (see executions.js).
const [sqlitePath, dbPath] = process.argv.slice(2);
const sqlite3 = require(sqlitePath);

const db = new sqlite3.Database(dbPath, sqlite3.OPEN_READONLY);
db.all(
	// e.* : the columns differ between n8n versions (1.x has no storedAt).
	`SELECT e.*, d.workflowData, d.data
	   FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
	  ORDER BY e.id`,
	(error, rows) => {
		db.close();
		if (error) {
			console.error(error.message);
			process.exit(1);
		}
		process.stdout.write(JSON.stringify(rows));
	},
);
