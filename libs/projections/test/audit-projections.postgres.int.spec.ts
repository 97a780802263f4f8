import { auditProjectionsContract } from './audit-projections.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('audit read models on PostgreSQL', () => auditProjectionsContract(postgresTarget()));
