// The marketer's console: the admin token is asked once and kept for the tab;
// the promotion list is polled every second and its figures feed the charts.
// This entry wires the forms and the winners' list and starts the session.
import { startSession } from './adminSession';
import { showLedger, wireLedger } from './ledgerPanel';
import { wirePromotionForms } from './promotionForms';
import { onSelect } from './promotionTable';

wirePromotionForms();
wireLedger();
onSelect(showLedger);
startSession();
