/*
 * Reads one execution of an n8n user folder's SQLite database and prints it as JSON:
 *   { id, workflowId, status, finished, mode, startedAt, stoppedAt, data }
 * where `data` is the IRunExecutionData n8n stored (unflattened).
 *
 * Run by test/e2e/n8n.ts with the Node binary of the n8n under test and NODE_PATH set to that
 * n8n's node_modules, so `sqlite3` (a native module) and `flatted` are the ones n8n itself uses.
 *
 *   node read-execution.js <database.sqlite> <workflowId> [<afterExecutionId>]
 *
 * Prints `null` when the workflow has no execution newer than afterExecutionId. A fourth argument
 * `--oldest` picks the oldest such execution instead of the newest (to walk them all in order).
 *
 *   node read-execution.js <database.sqlite> --max-id
 *
 * Prints the highest execution id so far (0 when none), to tell this run's execution apart.
 */
'use strict';

const sqlite3 = require('sqlite3');
const { parse } = require('flatted');

const [dbPath, workflowId, after = '0', order = '--newest'] = process.argv.slice(2);
const db = new sqlite3.Database(dbPath, sqlite3.OPEN_READONLY);

if (workflowId === '--max-id') {
	db.get('select max(cast(id as integer)) as id from execution_entity', (error, row) => {
		db.close();
		if (error) {
			process.stderr.write(String(error.stack || error));
			process.exit(2);
		}
		process.stdout.write(String((row && row.id) || 0));
	});
	return;
}
const sql = `select e.id, e.workflowId, e.status, e.finished, e.mode, e.startedAt, e.stoppedAt, d.data
  from execution_entity e left join execution_data d on d.executionId = e.id
  where e.workflowId = ? and cast(e.id as integer) > ? order by cast(e.id as integer) ${order === '--oldest' ? 'asc' : 'desc'} limit 1`;

db.get(sql, [workflowId, Number(after)], (error, row) => {
	db.close();
	if (error) {
		process.stderr.write(String(error.stack || error));
		process.exit(2);
	}
	if (!row) {
		process.stdout.write('null');
		return;
	}
	let data = null;
	if (row.data) {
		try {
			data = parse(row.data);
		} catch {
			data = JSON.parse(row.data);
		}
	}
	process.stdout.write(
		JSON.stringify({
			id: Number(row.id),
			workflowId: row.workflowId,
			status: row.status,
			finished: Boolean(row.finished),
			mode: row.mode,
			startedAt: row.startedAt,
			stoppedAt: row.stoppedAt,
			data,
		}),
	);
});
