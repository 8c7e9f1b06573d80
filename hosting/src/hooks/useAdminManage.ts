import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, unwrap } from '@/api/client'
import type { components } from '@/api/schema'

export type UserDetail = components['schemas']['UserDetail']
export type DeletionJob = components['schemas']['DeletionJobOut']
export type DeleteMode = 'soft' | 'hard'
export type FailedJob = components['schemas']['FailedJob']
export type FailedJobKind = FailedJob['kind']
export type RecentVideo = components['schemas']['RecentVideo']
export type RecentPost = components['schemas']['RecentPost']
export type SystemTemplate = components['schemas']['TemplateOut']
export type TemplateVersion = components['schemas']['TemplateVersionOut']
export type ConfigPreview = components['schemas']['ConfigPreview']

export const adminManageKeys = {
  user: (uid: string) => ['admin', 'user', uid] as const,
  deletion: (uid: string) => ['admin', 'user', uid, 'deletion'] as const,
  failed: (kind: FailedJobKind | null) => ['admin', 'failed-jobs', kind] as const,
  recentVideos: ['admin', 'content', 'videos'] as const,
  recentPosts: ['admin', 'content', 'posts'] as const,
  templates: ['admin', 'system-templates'] as const,
  versions: (id: string) => ['admin', 'system-templates', id, 'versions'] as const,
  preview: (id: string, version: number | null) => ['admin', 'system-templates', id, 'preview', version] as const,
}

/** `admin-user_detail`: one user with usage, content counts, storage, plan, accounts, activity. */
export function useAdminUserDetail(uid: string) {
  return useQuery({
    queryKey: adminManageKeys.user(uid),
    queryFn: () => unwrap(api.GET('/api/v1/admin/users/{user_id}', { params: { path: { user_id: uid } } })),
  })
}

/** `admin-user_deletion`: the deletion job, polled while the purge runs. */
export function useDeletionJob(uid: string, enabled: boolean) {
  return useQuery({
    queryKey: adminManageKeys.deletion(uid),
    queryFn: () =>
      unwrap(api.GET('/api/v1/admin/users/{user_id}/deletion', { params: { path: { user_id: uid } } })),
    enabled,
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1500 : false),
    retry: false,
  })
}

/** `admin-delete_user`: soft (disable, purge after the grace period) or hard (purge now). */
export function useDeleteUser(uid: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (mode: DeleteMode) =>
      unwrap(
        api.DELETE('/api/v1/admin/users/{user_id}', { params: { path: { user_id: uid }, query: { mode } } }),
      ),
    onSuccess: (job) => {
      queryClient.setQueryData(adminManageKeys.deletion(uid), job)
      void queryClient.invalidateQueries({ queryKey: adminManageKeys.user(uid) })
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] })
    },
  })
}

/** `admin-restore_user`: undo a soft deletion before the purge starts. */
export function useRestoreUser(uid: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/admin/users/{user_id}/restore', { params: { path: { user_id: uid } } })),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: adminManageKeys.deletion(uid) })
      void queryClient.invalidateQueries({ queryKey: adminManageKeys.user(uid) })
      void queryClient.invalidateQueries({ queryKey: ['admin', 'users'] })
    },
  })
}

/** `admin-failed_jobs`: failed pipeline steps, publishing targets and syncs, with full errors. */
export function useFailedJobs(kind: FailedJobKind | null) {
  return useQuery({
    queryKey: adminManageKeys.failed(kind),
    queryFn: () =>
      unwrap(api.GET('/api/v1/admin/content/failed-jobs', { params: { query: kind ? { kind } : {} } })),
  })
}

/** `admin-retry_failed_job`: retry through the app's own path (a job no longer failed is left). */
export function useRetryJob() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (job: Pick<FailedJob, 'kind' | 'id' | 'target_id'>) =>
      unwrap(
        api.POST('/api/v1/admin/content/failed-jobs/retry', {
          body: { kind: job.kind, id: job.id, target_id: job.target_id ?? null },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['admin', 'failed-jobs'] }),
  })
}

/** `admin-recent_videos`: the newest videos of every user. */
export function useRecentVideos() {
  return useQuery({
    queryKey: adminManageKeys.recentVideos,
    queryFn: () => unwrap(api.GET('/api/v1/admin/content/videos', { params: { query: { limit: 50 } } })),
  })
}

/** `admin-recent_posts`: the newest posts of every user. */
export function useRecentPosts() {
  return useQuery({
    queryKey: adminManageKeys.recentPosts,
    queryFn: () => unwrap(api.GET('/api/v1/admin/content/posts', { params: { query: { limit: 50 } } })),
  })
}

/** `admin-system_templates`: every system template, retired ones included. */
export function useSystemTemplates() {
  return useQuery({
    queryKey: adminManageKeys.templates,
    queryFn: () => unwrap(api.GET('/api/v1/admin/templates')),
  })
}

/** `admin-template_versions`: a system template's history, newest first. */
export function useTemplateVersions(id: string | null) {
  return useQuery({
    queryKey: adminManageKeys.versions(id ?? ''),
    queryFn: () =>
      unwrap(api.GET('/api/v1/admin/templates/{template_id}/versions', { params: { path: { template_id: id ?? '' } } })),
    enabled: id !== null,
  })
}

/** `admin-template_preview`: the config the pipeline would use, for now or a version. */
export function useTemplatePreview(id: string | null, version: number | null) {
  return useQuery({
    queryKey: adminManageKeys.preview(id ?? '', version),
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/admin/templates/{template_id}/preview', {
          params: { path: { template_id: id ?? '' }, query: version ? { version } : {} },
        }),
      ),
    enabled: id !== null,
  })
}

function useTemplateMutation<T>(fn: (arg: T) => Promise<unknown>) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: adminManageKeys.templates })
      void queryClient.invalidateQueries({ queryKey: ['templates'] })
    },
  })
}

/** `admin-retire_template`: hide from new videos, or bring back. */
export function useRetireTemplate() {
  return useTemplateMutation(({ id, retired }: { id: string; retired: boolean }) =>
    unwrap(
      api.POST('/api/v1/admin/templates/{template_id}/retire', {
        params: { path: { template_id: id } },
        body: { retired },
      }),
    ),
  )
}

/** `admin-restore_template_version`: put a version's content back as a new version. */
export function useRestoreVersion() {
  return useTemplateMutation(({ id, version }: { id: string; version: number }) =>
    unwrap(
      api.POST('/api/v1/admin/templates/{template_id}/versions/{version}/restore', {
        params: { path: { template_id: id, version: String(version) } },
      }),
    ),
  )
}

/** `admin-top_users`: users ranked by a metric. */
export function useTopUsersBy(metric: 'videos' | 'posts' | 'views' | 'storage', limit = 10) {
  return useQuery({
    queryKey: ['admin', 'top-users', metric, limit] as const,
    queryFn: () => unwrap(api.GET('/api/v1/admin/top-users', { params: { query: { metric, limit } } })),
  })
}

/** `admin-template_usage`: videos per template, success rate, median views. */
export function useTemplateUsage() {
  return useQuery({
    queryKey: ['admin', 'template-usage'] as const,
    queryFn: () => unwrap(api.GET('/api/v1/admin/stats/templates')),
  })
}
