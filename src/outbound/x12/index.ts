/** Registers every outbound X12 builder (imported once by src/outbound/generate.ts). */
import './855-order-ack.js';
import './940-warehouse-order.js';
import './943-inbound-advice.js';
import './204-load-tender.js';
import './810-invoice.js';
import './856-shipment.js';
