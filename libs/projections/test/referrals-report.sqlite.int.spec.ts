import { referralsReportContract } from './referrals-report.contract';
import { sqliteTarget } from './read-store-targets';

referralsReportContract(sqliteTarget());
