package io.github.nsqspring.samples;

import java.math.BigDecimal;

/**
 * What billing returns for an order: its {@code @SendTo} publishes it to the receipts
 * topic as JSON.
 *
 * @param orderNumber the order billed
 * @param customer who is billed
 * @param amount the amount billed
 */
public record Receipt(long orderNumber, String customer, BigDecimal amount) {

}
