import { appointmentsReportContract } from './appointments-report.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('the appointments report on PostgreSQL', () => appointmentsReportContract(postgresTarget()));
