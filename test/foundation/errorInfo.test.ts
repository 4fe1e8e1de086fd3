import { errorInfoFromResponse } from '../../nodes/shared/transport/errors';

/**
 * The RequestId is what Alibaba support asks for first. errorInfoFromResponse finds it in the
 * body (JSON or OSS's XML) and, when the body has none (a gateway's HTML page, an empty 5xx),
 * in the answer’s headers; the client’s API calls and the downloads both rely on that.
 */
describe('errorInfoFromResponse: RequestId', () => {
	const HEADERS = { 'x-acs-request-id': 'HEADER-ACS-ID' };

	it('takes the body’s RequestId over the header’s (JSON and OSS XML)', () => {
		expect(errorInfoFromResponse('Op', 400, { RequestId: 'BODY-ID', Code: 'Throttling' }, HEADERS).requestId).toBe('BODY-ID');
		expect(errorInfoFromResponse('Op', 400, { requestId: 'body-id', code: 'Throttling' }, HEADERS).requestId).toBe('body-id');
		const xml = '<?xml version="1.0"?>\n<Error><Code>NoSuchKey</Code><RequestId>OSS-BODY-ID</RequestId></Error>';
		expect(errorInfoFromResponse('Op', 404, xml, { 'x-oss-request-id': 'OSS-HEADER-ID' }).requestId).toBe('OSS-BODY-ID');
	});

	it('falls back to x-acs-request-id, then x-oss-request-id, when the body carries none', () => {
		const info = errorInfoFromResponse('Op', 502, '<html><body>Bad Gateway</body></html>', HEADERS);
		expect(info.requestId).toBe('HEADER-ACS-ID');
		expect(info.code).toBe('HTTP502');
		expect(errorInfoFromResponse('Op', 503, '', { 'x-oss-request-id': 'OSS-HEADER-ID' }).requestId).toBe('OSS-HEADER-ID');
		expect(errorInfoFromResponse('Op', 503, {}, { 'x-acs-request-id': ['FIRST', 'SECOND'] }).requestId).toBe('FIRST');
	});

	it('has no RequestId when neither the body nor the headers hold one', () => {
		expect(errorInfoFromResponse('Op', 503, '', {}).requestId).toBeUndefined();
		expect(errorInfoFromResponse('Op', 503, '').requestId).toBeUndefined();
	});
});
