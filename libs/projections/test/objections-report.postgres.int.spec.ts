import { objectionsReportContract } from './objections-report.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('the objections report on PostgreSQL', () => objectionsReportContract(postgresTarget()));
