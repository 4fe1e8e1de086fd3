import { createHash } from 'node:crypto';

import { streamSign, streamUrl } from '../../nodes/AlibabaChatbotChat/transport/streamSign';

describe('chatbot stream sign', () => {
	it('matches the documented reference vector', () => {
		expect(streamSign('cc9e88c0-4f41-4f1d-a1a9-91a72d2aa27d', 1700000000000)).toBe('a92d5b11616b3b6015e4ffe537a58301');
		expect(streamSign('cc9e88c0-4f41-4f1d-a1a9-91a72d2aa27d', '1700000000000')).toBe('a92d5b11616b3b6015e4ffe537a58301');
	});

	it('changes with the timestamp and the secret', () => {
		const base = streamSign('secret-a', 1700000000000);
		expect(streamSign('secret-a', 1700000000001)).not.toBe(base);
		expect(streamSign('secret-b', 1700000000000)).not.toBe(base);
		expect(base).toBe(createHash('md5').update('streamSecret=secret-a&timestamp=1700000000000').digest('hex'));
	});

	it('puts token, channel, sign and timestamp in the documented path order', () => {
		const url = streamUrl(
			'https://alime-ws.aliyuncs.com',
			{ accessToken: '63ba97b4f18a4a04f715c81e8e643938', channelId: 'cc9e88c0-4f41-4f1d-a1a9-91a72d2aa27d' },
			'a92d5b11616b3b6015e4ffe537a58301',
			1700000000000,
		);
		expect(url).toBe(
			'https://alime-ws.aliyuncs.com/sse/paas4Json/63ba97b4f18a4a04f715c81e8e643938/cc9e88c0-4f41-4f1d-a1a9-91a72d2aa27d/a92d5b11616b3b6015e4ffe537a58301/1700000000000',
		);
	});

	it('keeps a token with a slash inside one path segment', () => {
		const url = streamUrl('http://127.0.0.1:1', { accessToken: 'a/b', channelId: 'c' }, 's', 1);
		expect(url).toBe('http://127.0.0.1:1/sse/paas4Json/a%2Fb/c/s/1');
	});
});
