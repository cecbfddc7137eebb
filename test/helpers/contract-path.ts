// Where XPay's published contract is expected: beside the project, in ../shared.
import { join } from 'node:path';
import { packageRoot } from '../../src/spec.js';

export const XPAY_CONTRACT_PATH = join(packageRoot(), '..', 'shared', 'xpay-openapi.json');
