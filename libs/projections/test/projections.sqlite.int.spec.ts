import { projectionsContract } from './projections.contract';
import { sqliteTarget } from './read-store-targets';

projectionsContract(sqliteTarget());
