import { useTranslation } from 'react-i18next'
import { Label } from '@/components/ui/label'
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from '@/components/ui/select'

/** The Create screen's storyboard review choice: automatic (when written offline), always, never. */
export type ReviewChoice = 'auto' | 'always' | 'never'

export function reviewScriptBody(choice: ReviewChoice): boolean | null {
  return choice === 'auto' ? null : choice === 'always'
}

export function ReviewScriptChoice({ value, onChange }: { value: ReviewChoice; onChange: (value: ReviewChoice) => void }) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-1.5 rounded-lg border p-4">
      <Label htmlFor="review-script">{t('storyboard.choiceLabel')}</Label>
      <Select value={value} onValueChange={(v) => onChange(v as ReviewChoice)}>
        <SelectTrigger id="review-script" aria-describedby="review-script-hint" data-testid="review-script">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value="auto">{t('storyboard.choiceAuto')}</SelectItem>
          <SelectItem value="always">{t('storyboard.choiceAlways')}</SelectItem>
          <SelectItem value="never">{t('storyboard.choiceNever')}</SelectItem>
        </SelectContent>
      </Select>
      <p id="review-script-hint" className="text-xs text-muted-foreground">
        {t('storyboard.choiceHint')}
      </p>
    </div>
  )
}
