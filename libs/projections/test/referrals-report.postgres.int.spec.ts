import { referralsReportContract } from './referrals-report.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('the referrals report on PostgreSQL', () => referralsReportContract(postgresTarget()));
