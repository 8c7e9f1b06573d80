import type { components } from './schema'

/** Names for the backend's models, so pages do not spell out `components['schemas'][...]`. */
type S = components['schemas']

export type Video = S['VideoOut']
export type VideoStatusReport = S['VideoStatusOut']
export type VideoStatus = S['VideoStatus']
export type VideoStats = S['VideoStats']
export type VideoStep = S['StepOut']
export type Step = S['Step']
export type StepStatus = S['StepStatus']
export type VideoError = S['VideoError']
export type CreateVideoBody = S['CreateVideoRequest']
export type VideoChoices = S['VideoChoices']

export type Template = S['TemplateOut']
export type TemplateCategory = S['TemplateCategory']
export type TargetPlatform = S['TargetPlatform']
export type TemplateConfig = S['TemplateConfig']
export type CreateTemplateBody = S['CreateTemplateRequest']
export type UpdateTemplateBody = S['UpdateTemplateRequest']

export type Integration = S['IntegrationOut']
export type IntegrationCategory = S['IntegrationCategory']
export type ProviderId = S['Provider']
export type AvailableProvider = S['AvailableProvider']
export type Readiness = S['Readiness']
export type StepReadiness = S['StepReadiness']
export type ValidationStatus = S['ValidationState']['status']

export type SocialAccount = S['SocialAccountOut']
export type SocialPlatformId = S['SocialPlatform']
export type SocialPlatformSetup = S['PlatformSetup']
export type SocialSelection = S['SelectionOut']

export type Post = S['PostOut']
export type PostTarget = S['TargetOut']
export type PostStatus = Post['status']
export type PostTargetStatus = PostTarget['status']

export type Storyboard = S['StoryboardOut']
export type StoryboardScene = S['StoryboardScene']
export type StoryboardSceneIn = S['StoryboardSceneIn']
export type StoryboardUpdate = S['StoryboardUpdate']
