/**
 * The ids `npm start` prints for newcomers (scripts/lib/try-ids.js) work when pasted into the
 * nodes, in n8n's engine against the emulator: each row is run as the field it names.
 */
import type { IDataObject } from 'n8n-workflow';

import { FIXTURES } from '../emulator';
import { runNode } from '../helpers/engine';
import { useEmulatorContext } from '../helpers/emulatorSuite';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tryIdRows, formatTryIds } = require('../../scripts/lib/try-ids') as {
	tryIdRows: (fixtures: typeof FIXTURES) => Array<{ service: string; label: string; value: string; where: string }>;
	formatTryIds: (rows: ReturnType<typeof tryIdRows>) => string[];
};

const rows = tryIdRows(FIXTURES);
const idOf = (service: string, label: string): string => {
	const row = rows.find((r) => r.service === service && r.label === label);
	if (!row) throw new Error(`no printed row "${service} ${label}"`);
	return row.value;
};

describe('the demo printout', () => {
	const context = useEmulatorContext();
	const run = async (type: string, parameters: IDataObject, input: IDataObject[] = [{}]) => {
		const result = await runNode(type, parameters, { input, credentials: context.credentials });
		expect(result.error('Node')).toBeUndefined();
		return result.items.map((item) => item.json);
	};

	it('lists, per service, what the issue asks for, each with the node and field it goes into', () => {
		expect(rows.map((row) => `${row.service} ${row.label}`)).toEqual(
			expect.arrayContaining([
				'ICE finished call',
				'ICE running call',
				`ICE agent with ${FIXTURES.ice.benchInstanceCount} calls`,
				'Chatbot instance',
				'CCAI workspace',
				'CCAI app',
				'DianJin workspace',
				'DianJin finished session',
			]),
		);
		for (const row of rows) expect(row.where).toMatch(/^(ICE Archive|Chatbot Chat|CCAI Analyze|Dialog Detail) → /);
		const lines = formatTryIds(rows);
		expect(lines).toHaveLength(rows.length);
		for (const [i, line] of lines.entries()) expect(line).toContain(rows[i].value);
	});

	it('ICE: the finished call has a call log, the running one is running, the agent has many calls', async () => {
		const [log] = await run('alibabaIceArchive', { operation: 'getCallLog', instanceId: idOf('ICE', 'finished call') });
		expect(((log.conversation as IDataObject).sentences as unknown[]).length).toBe(FIXTURES.ice.seedSentenceCount);

		const [running] = await run('alibabaIceArchive', { operation: 'getInstance', instanceId: idOf('ICE', 'running call') });
		expect(JSON.stringify(running)).toMatch(/"Status":"Executing"/);

		const calls = await run('alibabaIceArchive', {
			operation: 'listInstances',
			aiAgentId: idOf('ICE', `agent with ${FIXTURES.ice.benchInstanceCount} calls`),
			returnAll: true,
		});
		expect(calls).toHaveLength(FIXTURES.ice.benchInstanceCount);

		const dialogues = await run('alibabaIceArchive', { operation: 'listDialogues', sessionId: idOf('ICE', 'session') });
		expect(JSON.stringify(dialogues)).toContain(FIXTURES.ice.sessionId);
	});

	it('Chatbot: the instance answers, with no other field filled in', async () => {
		const [answer] = await run('alibabaChatbotChat', { operation: 'sendMessage', instanceId: idOf('Chatbot', 'instance'), utterance: FIXTURES.chatbot.seedUtterance });
		expect(JSON.stringify(answer)).toContain(FIXTURES.chatbot.seedAnswer);
	});

	it('CCAI: the workspace and app analyze a conversation', async () => {
		const [item] = await run(
			'alibabaCcaiAnalyze',
			{ operation: 'analyzeConversation', workspaceId: idOf('CCAI', 'workspace'), appId: idOf('CCAI', 'app') },
			[{ conversation: { sentences: [{ role: 'user', text: '你好' }, { role: 'agent', text: '您好' }] } }],
		);
		// Version 1.1 adds the analysis to the incoming item.
		expect((item.analysis as IDataObject).finishReason).toBe('stop');
	});

	it('DianJin: the session has a transcript', async () => {
		const [detail] = await run('alibabaDialogDetail', {
			operation: 'get',
			workspaceId: idOf('DianJin', 'workspace'),
			sessionId: idOf('DianJin', 'finished session'),
		});
		expect(((detail.conversation as IDataObject).sentences as unknown[]).length).toBeGreaterThan(0);
	});
});
