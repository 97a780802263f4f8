/** The actor in an event's metadata ({ userId, role }), as the columns keep it. */
export function actorColumns(metadata: Record<string, unknown>): { actor_user_id: string | null; actor_role: string | null } {
  const actor = metadata.actor as { userId?: unknown; role?: unknown } | undefined;
  return {
    actor_user_id: typeof actor?.userId === 'string' ? actor.userId : null,
    actor_role: typeof actor?.role === 'string' ? actor.role : null,
  };
}
