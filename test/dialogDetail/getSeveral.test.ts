import { runNode } from '../helpers/engine';
import { DIANJIN, jsonOf, NODE_TYPE, pairedIndexes, useEmulator } from './setup';

const ctx = useEmulator();

const params = (sessionId: string) => ({ operation: 'get', workspaceId: DIANJIN.workspaceId, sessionId });

describe('Alibaba Dialog Detail: get, several sessions in one item', () => {
	const [first, second] = DIANJIN.sessionIds;

	it('reads every listed session as its own item, in the order listed, each paired with the input item', async () => {
		const result = await runNode(NODE_TYPE, params(`${second}, ${first}\n${second}`), { credentials: ctx.credentials });
		expect(result.error('Node')).toBeUndefined();
		expect(jsonOf(result.items).map((item) => item.sessionId)).toEqual([second, first]);
		expect(pairedIndexes(result.items)).toEqual([0, 0]);
		for (const item of jsonOf(result.items)) expect((item.conversation as { sentences: unknown[] }).sentences.length).toBeGreaterThan(0);
		expect(ctx.emulator.requests.filter((request) => request.action === 'GetDialogDetail')).toHaveLength(2);
	});

	it('takes an expression that returns an array, so a list in the input needs no Code node', async () => {
		const result = await runNode(NODE_TYPE, params('={{ $json.ids }}'), {
			credentials: ctx.credentials,
			input: [{ ids: [first, second] }, { ids: [second] }],
		});
		expect(jsonOf(result.items).map((item) => item.sessionId)).toEqual([first, second, second]);
		expect(pairedIndexes(result.items)).toEqual([0, 0, 1]);
	});

	it('an empty list fails before any request, as an empty Session ID does', async () => {
		const result = await runNode(NODE_TYPE, params(' , '), { credentials: ctx.credentials });
		expect(result.error('Node')?.message).toBe('Session ID is empty');
		expect(ctx.emulator.requests).toHaveLength(0);
	});
});
