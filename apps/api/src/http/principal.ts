/** Who is making a request. Until authentication lands, every request acts as the local operator. */
export interface Principal {
  userId: string;
  role: string;
}

export const LOCAL_OPERATOR: Principal = { userId: 'local-operator', role: 'admin' };
