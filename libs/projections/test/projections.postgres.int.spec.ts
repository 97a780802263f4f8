import { projectionsContract } from './projections.contract';
import { describeWithPostgres, postgresTarget } from './read-store-targets';

describeWithPostgres('read models on PostgreSQL', () => projectionsContract(postgresTarget()));
