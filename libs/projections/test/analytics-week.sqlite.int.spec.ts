import { analyticsWeekContract } from './analytics-week.contract';
import { sqliteTarget } from './read-store-targets';

analyticsWeekContract(sqliteTarget());
