import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IPollFunctions,
	ISupplyDataFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import {
	assumedIdentity,
	rejectTemporaryKey,
	temporaryKeyId,
	temporarySecrets,
} from '../../../credentials/common/ramRole/temporaryCredentials';
import type { AlibabaErrorInfo } from './errors';

export const ACCESS_KEY_CREDENTIAL = 'alibabaCloudAccessKeyApi';
export const RAM_ROLE_CREDENTIAL = 'alibabaCloudRamRoleApi';

type Context = IExecuteFunctions | ISupplyDataFunctions | IWebhookFunctions | IPollFunctions;

/** Answers after which a fresh temporary key may help: it expired, or the service does not know it. */
const REJECTED_TEMPORARY_KEY = /^(InvalidSecurityToken|InvalidAccessKeyId|SecurityTokenExpired)/;

/**
 * Which credential a node signs with (its "Authentication" parameter) and what that credential
 * needs from the transport: for the RAM role, the temporary key lives in the same data object n8n
 * merges preAuthentication's answer into, so every item of an execution sees a renewal at once.
 */
export class CredentialBinding {
	private constructor(
		readonly type: string,
		readonly credentials: ICredentialDataDecryptedObject,
		private readonly reference: { id: string | null; name: string } | undefined,
	) {}

	static async load(ctx: Context): Promise<CredentialBinding> {
		const node = ctx.getNode();
		const type = node.parameters?.authentication === 'ramRole' ? RAM_ROLE_CREDENTIAL : ACCESS_KEY_CREDENTIAL;
		const credentials = await ctx.getCredentials(type);
		return new CredentialBinding(type, credentials, node.credentials?.[type]);
	}

	get isRamRole(): boolean {
		return this.type === RAM_ROLE_CREDENTIAL;
	}

	/** For httpRequestWithAuthentication: sign from (and renew into) this execution's copy. */
	requestOptions(): IAdditionalCredentialOptions | undefined {
		if (!this.isRamRole || !this.reference) return undefined;
		return {
			credentialsDecrypted: { id: this.reference.id ?? '', name: this.reference.name, type: this.type, data: this.credentials },
		};
	}

	/** Values no error may show: the source secrets and, for the RAM role, the current temporary key. */
	secrets(): string[] {
		const values = [this.credentials.accessKeySecret, this.credentials.securityToken].map((value) => String(value ?? '').trim());
		if (this.isRamRole) values.push(...temporarySecrets(this.credentials));
		return values.filter(Boolean);
	}

	/** The temporary key a request is about to use (RAM role only). */
	keyInUse(): string | undefined {
		return this.isRamRole ? temporaryKeyId(this.credentials) : undefined;
	}

	/**
	 * True when `info` says the temporary key `usedKey` was refused: that key is then dropped, and
	 * the caller retries once, which makes n8n renew it first.
	 */
	renewAfter(info: AlibabaErrorInfo, usedKey: string | undefined): boolean {
		if (!this.isRamRole || !REJECTED_TEMPORARY_KEY.test(info.code)) return false;
		if (usedKey) rejectTemporaryKey(this.credentials, usedKey);
		return true;
	}

	/** Identifies the caller for caches of what a service issued to it. */
	identity(): string[] {
		if (this.isRamRole) return [this.type, assumedIdentity(this.credentials)];
		const { accessKeyId, accessKeySecret, securityToken } = this.credentials;
		return [accessKeyId, accessKeySecret, securityToken].map((value) => String(value ?? ''));
	}
}
