import { analyticsWeekContract } from './analytics-week.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('the analytics reports on PostgreSQL', () => analyticsWeekContract(postgresTarget()));
