namespace Migration.Simulator.Content;

/// <summary>Customer-support topics: what the sample API's demo traffic asks about.</summary>
internal static partial class KnowledgeBank
{
    private static readonly Topic[] Support =
    [
        new(
            "refunds",
            "Refund policy",
            ["refund", "money back", "reimburse", "chargeback"],
            [
                "Refunds for annual plans follow a simple policy run by the billing team.",
                "The billing team handles refunds for annual plans under a simple policy.",
                "Annual plans can be refunded, and the policy is simple.",
            ],
            [
                new(
                    [
                        "You can get a full refund within {0} days of the purchase.",
                        "A full refund is available if you ask within {0} days of buying the plan.",
                        "The full amount is refunded if you ask within {0} days of the purchase.",
                    ],
                    new Figure("full_refund_days", 14, 30)),
                new(
                    [
                        "After the full-refund window, the unused months are refunded pro rata, minus a {0}% processing fee.",
                        "Past the full-refund window, unused months are refunded pro rata, less a {0}% processing fee.",
                    ],
                    new Figure("processing_fee_percent", 2, 5)),
                new(
                    [
                        "The money goes back to the original payment method within {0} business days.",
                        "Refunds are paid back to the original payment method in {0} business days.",
                        "It takes {0} business days for the refund to arrive on the original payment method.",
                    ],
                    new Figure("refund_business_days", 3, 10)),
                new(
                    [
                        "Monthly plans are not refunded, but you can cancel at any time to stop the next charge.",
                        "There are no refunds on monthly plans; cancelling at any time stops the next charge instead.",
                    ]),
                new(
                    [
                        "Anything paid for with promotional credits cannot be refunded.",
                        "Purchases made with promotional credits are not refundable.",
                    ]),
                new(
                    [
                        "Every refund request is reviewed by a person within {0} hours.",
                        "Each refund request is reviewed by the billing team within {0} hours.",
                    ],
                    new Figure("review_hours", 24, 72)),
            ],
            [
                ["Open Billing > Invoices.", "Open the Invoices tab under Billing."],
                ["Choose the invoice you want refunded.", "Choose the invoice that should be refunded."],
                ["Click Request refund and give a reason.", "Click Request refund, then give a reason."],
                ["Confirm the request; you will receive an email once it is approved.", "Confirm, and you will receive an email when it is approved."],
            ]),
        new(
            "password",
            "Password reset",
            ["password", "forgot", "locked out", "sign in", "log in", "login"],
            [
                "You can reset a forgotten password yourself from the sign-in page.",
                "A forgotten password can be reset from the sign-in page without contacting support.",
                "Resetting a forgotten password is self-service and starts on the sign-in page.",
            ],
            [
                new(
                    [
                        "The reset link we email you stays valid for {0} minutes.",
                        "The emailed reset link expires after {0} minutes.",
                        "You have {0} minutes to use the reset link before it expires.",
                    ],
                    new Figure("link_valid_minutes", 30, 60)),
                new(
                    [
                        "A new password needs at least {0} characters, including a number.",
                        "New passwords must be {0} characters or longer and contain a number.",
                    ],
                    new Figure("min_length", 10, 16)),
                new(
                    [
                        "After {0} failed attempts the account is locked for 15 minutes.",
                        "The account locks for 15 minutes after {0} wrong passwords in a row.",
                    ],
                    new Figure("failed_attempts", 5, 10)),
                new(
                    [
                        "If the email does not arrive, check the spam folder before you ask for another link.",
                        "When no email arrives, look in the spam folder first and then request a new link.",
                    ]),
                new(
                    [
                        "Resetting the password signs you out on all other devices.",
                        "All other devices are signed out as soon as the password changes.",
                    ]),
            ],
            [
                ["Open the sign-in page and click Forgot password.", "On the sign-in page, click Forgot password."],
                ["Enter the email address of your account.", "Type the email address you signed up with."],
                ["Open the link in the email we send you.", "Follow the link in the email you receive."],
                ["Choose a new password and sign in with it.", "Set a new password, then sign in again."],
            ]),
        new(
            "invoices",
            "Invoice export",
            ["invoice", "csv", "export", "receipt"],
            [
                "You can export your invoices as a CSV file from the billing page.",
                "Invoices can be downloaded as a CSV file from the billing page.",
                "The billing page lets you export every invoice to a CSV file.",
            ],
            [
                new(
                    [
                        "One export can cover up to {0} months of invoices.",
                        "Each export includes at most {0} months of invoices.",
                        "A single export is limited to {0} months of invoices.",
                    ],
                    new Figure("max_months", 12, 36)),
                new(
                    [
                        "The file uses commas as separators and UTF-8 encoding, so it opens in any spreadsheet.",
                        "Any spreadsheet can open it: it is comma separated and encoded in UTF-8.",
                    ]),
                new(
                    [
                        "Large exports are prepared in the background and usually take about {0} minutes.",
                        "Big exports are built in the background, which usually takes about {0} minutes.",
                    ],
                    new Figure("export_minutes", 2, 15)),
                new(
                    [
                        "The download link stays available for {0} days.",
                        "You can download the file for {0} days before the link expires.",
                    ],
                    new Figure("link_days", 3, 14)),
                new(
                    [
                        "Each row lists the invoice number, date, amount, tax and payment status.",
                        "Every row holds the invoice number, the date, the amount, the tax and whether it was paid.",
                    ]),
                new(
                    [
                        "Only owners and billing admins can export invoices.",
                        "Exporting invoices is limited to owners and billing admins.",
                    ]),
            ],
            [
                ["Open Billing > Invoices.", "Open the Invoices tab under Billing."],
                ["Choose the date range you need.", "Choose the date range you want to export."],
                ["Click Export and choose CSV as the format.", "Click Export, then choose CSV."],
                ["Download the file from the link we email you.", "Download the file from the link in the email."],
            ]),
        new(
            "billing-email",
            "Billing email",
            ["billing email", "billing contact", "email address", "change the email", "billing address"],
            [
                "The billing email is the address that receives invoices and payment notices, and you can change it at any time.",
                "You can change the billing email, which receives invoices and payment notices, whenever you like.",
            ],
            [
                new(
                    [
                        "The new address must be confirmed from a link that is valid for {0} hours.",
                        "We send a confirmation link to the new address; it is valid for {0} hours.",
                    ],
                    new Figure("confirm_hours", 24, 72)),
                new(
                    [
                        "Until the new address is confirmed, invoices keep going to the old one.",
                        "Invoices are sent to the previous address until the new one is confirmed.",
                    ]),
                new(
                    [
                        "You can add up to {0} extra addresses that receive a copy of every invoice.",
                        "Up to {0} additional addresses can get a copy of each invoice.",
                    ],
                    new Figure("extra_addresses", 3, 10)),
                new(
                    [
                        "The change applies to the next invoice; past invoices keep the address they were sent to.",
                        "Past invoices are not re-sent: the new address is used from the next invoice on.",
                    ]),
                new(
                    [
                        "Only account owners and billing admins can change it.",
                        "Changing it requires the owner or billing admin role.",
                    ]),
            ],
            [
                ["Open Billing > Settings.", "Open the Settings tab under Billing."],
                ["Click Edit next to Billing email.", "Click Edit beside the Billing email field."],
                ["Enter the new address and save.", "Type the new address and click Save."],
                ["Confirm the change from the email sent to the new address.", "Open the confirmation email at the new address to finish."],
            ]),
        new(
            "two-factor",
            "Two-factor authentication",
            ["two-factor", "2fa", "mfa", "authenticator", "one-time code", "multi-factor"],
            [
                "Two-factor authentication adds a one-time code to your password, so a stolen password alone is not enough to sign in.",
                "With two-factor authentication, signing in needs a one-time code as well as the password, so a leaked password is not enough.",
            ],
            [
                new(
                    [
                        "You can use any authenticator app; the codes change every {0} seconds.",
                        "Any authenticator app works, and each code is valid for {0} seconds.",
                    ],
                    new Figure("code_seconds", 30, 60)),
                new(
                    [
                        "When you turn it on you receive {0} backup codes; keep them somewhere safe.",
                        "Turning it on gives you {0} backup codes, which you should store safely.",
                    ],
                    new Figure("backup_codes", 8, 12)),
                new(
                    [
                        "Each backup code works only once.",
                        "A backup code can only be used once.",
                    ]),
                new(
                    [
                        "Administrators can require it for everyone in the organization.",
                        "An administrator can make it mandatory for every member of the organization.",
                    ]),
                new(
                    [
                        "Trusted devices skip the code for {0} days.",
                        "On a trusted device you are not asked for a code for {0} days.",
                    ],
                    new Figure("trusted_days", 14, 30)),
            ],
            [
                ["Open Account > Security.", "Open the Security tab of your account."],
                ["Click Enable two-factor authentication.", "Click the button to enable two-factor authentication."],
                ["Scan the QR code with your authenticator app.", "Scan the QR code using an authenticator app."],
                ["Enter the current code to confirm, then save the backup codes.", "Type the current code to confirm and save your backup codes."],
            ]),
        new(
            "account-deletion",
            "Account deletion",
            ["delete my account", "close my account", "delete the account", "account deletion", "remove my account"],
            [
                "You can delete your account yourself, and the deletion is permanent once it completes.",
                "You can delete the account yourself; the deletion is permanent and cannot be undone once it completes.",
            ],
            [
                new(
                    [
                        "The account is first deactivated, and you have {0} days to change your mind.",
                        "For {0} days the account is only deactivated, so you can change your mind and restore it.",
                    ],
                    new Figure("grace_days", 14, 30)),
                new(
                    [
                        "After that, all personal data is erased within {0} days.",
                        "Personal data is then erased in no more than {0} days.",
                    ],
                    new Figure("erase_days", 30, 45)),
                new(
                    [
                        "Invoices are kept for {0} years because tax law requires it.",
                        "Tax law requires us to keep invoices for {0} years.",
                    ],
                    new Figure("invoice_years", 7, 10)),
                new(
                    [
                        "Any active subscription is cancelled and the current period is not refunded.",
                        "The subscription ends with it, without a refund of the current period.",
                    ]),
                new(
                    [
                        "Export anything you want to keep before you start, because it cannot be recovered later.",
                        "Export anything you want to keep before you begin, because it cannot be recovered afterwards.",
                    ]),
            ],
            [
                ["Open Account > Privacy.", "Open the Privacy tab of your account."],
                ["Click Delete account.", "Click the Delete account button."],
                ["Type your password to confirm.", "Confirm with your password."],
            ]),
        new(
            "plans",
            "Plan upgrade",
            ["upgrade", "team plan", "pricing", "downgrade", "subscription", "seats"],
            [
                "Upgrading to the team plan takes effect at once and keeps all of your data.",
                "The team plan takes effect as soon as you upgrade, and all of your data is kept.",
            ],
            [
                new(
                    [
                        "The team plan costs {0} dollars per seat per month when billed annually.",
                        "Billed annually, a seat on the team plan is {0} dollars a month.",
                    ],
                    new Figure("seat_price_usd", 12, 25)),
                new(
                    [
                        "You only pay the prorated difference for the rest of the current billing period.",
                        "For the current billing period, you pay only the prorated difference.",
                    ]),
                new(
                    [
                        "It includes up to {0} seats before volume pricing starts.",
                        "Volume pricing begins after {0} seats.",
                    ],
                    new Figure("seats_before_volume", 50, 200)),
                new(
                    [
                        "Shared workspaces, roles and an audit log are added right away.",
                        "You get shared workspaces, roles and the audit log immediately.",
                    ]),
                new(
                    [
                        "You can downgrade at the end of any billing period.",
                        "A downgrade is possible at the end of each billing period.",
                    ]),
            ],
            [
                ["Open Billing > Plan.", "Open the Plan tab under Billing."],
                ["Click Upgrade on the team plan.", "Click Upgrade next to the team plan."],
                ["Choose the number of seats and confirm the payment.", "Set the number of seats and confirm."],
            ]),
        new(
            "rate-limits",
            "API rate limits",
            ["rate limit", "429", "too many requests", "throttl", "quota"],
            [
                "The API limits how many requests each key can send, and it tells you where you stand in every response.",
                "Every API key has request limits, and each response reports how much of them you have used.",
            ],
            [
                new(
                    [
                        "The default limit is {0} requests per minute per API key.",
                        "Each API key may send {0} requests per minute by default.",
                    ],
                    new Figure("requests_per_minute", 60, 600)),
                new(
                    [
                        "Over the limit, the API answers 429 with a Retry-After header that says how many seconds to wait.",
                        "A request over the limit gets status 429 and a Retry-After header with the seconds to wait.",
                    ]),
                new(
                    [
                        "The X-RateLimit-Remaining header shows how many requests are left in the current window.",
                        "You can read the requests left in this window from the X-RateLimit-Remaining header.",
                    ]),
                new(
                    [
                        "Retry with exponential backoff starting at {0} seconds and add some random jitter.",
                        "Back off exponentially from {0} seconds, with a little random jitter, before retrying.",
                    ],
                    new Figure("initial_backoff_seconds", 1, 4)),
                new(
                    [
                        "Higher limits are available on request for production workloads.",
                        "Production workloads can ask for higher limits.",
                    ]),
            ],
            [],
            new CodeSample(
                "python",
                [
                    "Here is a small Python helper that retries on 429:",
                    "A minimal retry loop in Python for 429 answers looks like this:",
                ],
                [
                    "import time",
                    "import requests",
                    "",
                    "def post_with_backoff(url, payload, max_retries={0}):",
                    "\tfor attempt in range(max_retries):",
                    "\t\tresponse = requests.post(url, json=payload, timeout={1})",
                    "\t\tif response.status_code != 429:",
                    "\t\t\treturn response",
                    "\t\ttime.sleep(int(response.headers.get(\"Retry-After\", 2 ** attempt)))",
                    "\traise RuntimeError(\"still rate limited after retries\")",
                ],
                new Figure("max_retries", 3, 6),
                new Figure("timeout_seconds", 10, 30))),
        new(
            "webhooks",
            "Webhook retries",
            ["webhook", "callback", "delivery", "endpoint"],
            [
                "Webhooks are retried automatically when your endpoint does not confirm a delivery.",
                "When a delivery is not confirmed by your endpoint, the webhook is retried automatically.",
            ],
            [
                new(
                    [
                        "A delivery counts as successful when your endpoint answers with a 2xx status within {0} seconds.",
                        "Your endpoint must answer with a 2xx status in {0} seconds for a delivery to succeed.",
                    ],
                    new Figure("timeout_seconds", 5, 15)),
                new(
                    [
                        "Failed deliveries are retried up to {0} times with exponential backoff over 24 hours.",
                        "We retry a failed delivery as many as {0} times, backing off exponentially over 24 hours.",
                    ],
                    new Figure("max_attempts", 8, 16)),
                new(
                    [
                        "Every delivery carries a signature header that you should verify with your signing secret.",
                        "Verify the signature header of each delivery with your signing secret.",
                    ]),
                new(
                    [
                        "Deliveries can arrive more than once, so make your handler idempotent using the event id.",
                        "The same delivery can arrive twice, so use the event id to make your handler idempotent.",
                    ]),
                new(
                    [
                        "After {0} days of failures the endpoint is disabled and the owner is notified.",
                        "An endpoint that fails for {0} days is disabled, and the owner gets an email.",
                    ],
                    new Figure("disable_days", 3, 7)),
            ],
            [],
            new CodeSample(
                "python",
                [
                    "Checking the signature takes a few lines of Python:",
                    "This is how the signature check looks in Python:",
                ],
                [
                    "import hashlib",
                    "import hmac",
                    "",
                    "def is_valid(payload: bytes, signature: str, secret: str, sent_at: int, now: int) -> bool:",
                    "\tif abs(now - sent_at) > {0}:",
                    "\t\treturn False",
                    "\texpected = hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()",
                    "\treturn hmac.compare_digest(expected, signature)",
                ],
                new Figure("max_age_seconds", 120, 600))),
        new(
            "retention",
            "Data retention",
            ["retention", "how long do you keep", "data is kept", "purge", "gdpr", "stored for"],
            [
                "Data is kept only as long as it is needed, and each kind of record has its own retention period.",
                "Each kind of record has a retention period of its own, so nothing is kept longer than needed.",
            ],
            [
                new(
                    [
                        "Activity logs are kept for {0} days and then deleted automatically.",
                        "We delete activity logs automatically after {0} days.",
                    ],
                    new Figure("log_days", 30, 180)),
                new(
                    [
                        "Backups are encrypted and rotated every {0} days.",
                        "Encrypted backups rotate on a {0} day cycle.",
                    ],
                    new Figure("backup_days", 7, 35)),
                new(
                    [
                        "Deleted items stay in the trash for {0} days before they are purged.",
                        "Items you delete can be restored from the trash for {0} days.",
                    ],
                    new Figure("trash_days", 14, 60)),
                new(
                    [
                        "Administrators on the enterprise plan can shorten these periods.",
                        "On the enterprise plan, administrators can set shorter periods.",
                    ]),
                new(
                    [
                        "All data is stored in the region chosen when the workspace was created.",
                        "Your data stays in the region picked when the workspace was set up.",
                    ]),
            ],
            []),
        new(
            "sso",
            "Single sign-on",
            ["sso", "okta", "saml", "single sign-on", "azure ad", "entra", "identity provider"],
            [
                "Single sign-on with Okta uses SAML 2.0 and is set up once by an administrator.",
                "An administrator configures single sign-on with Okta once, over SAML 2.0.",
            ],
            [
                new(
                    [
                        "Users are created on their first sign-in, so no invitations are needed.",
                        "Users are created automatically on their first sign-in, without invitations.",
                    ]),
                new(
                    [
                        "SCIM keeps users and groups in sync and removes access within {0} minutes of offboarding.",
                        "With SCIM, users and groups stay in sync and access is revoked {0} minutes after offboarding at the latest.",
                    ],
                    new Figure("deprovision_minutes", 5, 40)),
                new(
                    [
                        "Sessions last {0} hours before Okta is asked again.",
                        "A session is valid for {0} hours, then the user is sent back to Okta.",
                    ],
                    new Figure("session_hours", 8, 24)),
                new(
                    [
                        "You can enforce it so that passwords are no longer accepted.",
                        "Once single sign-on is enforced, passwords are no longer accepted.",
                    ]),
                new(
                    [
                        "Single sign-on is available on the business and enterprise plans.",
                        "Single sign-on is included in the business and enterprise plans.",
                    ]),
            ],
            [
                ["In Okta, add a new SAML 2.0 application.", "Create a SAML 2.0 app in the Okta admin console."],
                ["Copy the single sign-on URL and audience from Settings > Security.", "Paste the sign-on URL and audience shown under Settings > Security."],
                ["Upload the Okta metadata file and save.", "Upload Okta's metadata XML and save."],
                ["Test with one user before you enforce it for everyone.", "Try it with a single user before enforcing it."],
            ]),
        new(
            "offline",
            "Mobile offline mode",
            ["offline", "mobile app", "no connection", "sync", "airplane"],
            [
                "The mobile app keeps working without a connection and syncs your changes when it is back online.",
                "Without a connection, the mobile app still works, and it syncs once it is online again.",
            ],
            [
                new(
                    [
                        "Documents opened in the last {0} days are available offline.",
                        "Anything you opened during the last {0} days can be used offline.",
                    ],
                    new Figure("offline_days", 7, 30)),
                new(
                    [
                        "Offline storage is capped at {0} MB per device.",
                        "Each device keeps at most {0} MB for offline use.",
                    ],
                    new Figure("storage_mb", 200, 2000)),
                new(
                    [
                        "Edits are queued and uploaded in order as soon as the device reconnects.",
                        "Changes wait in a queue and are uploaded in order when the device reconnects.",
                    ]),
                new(
                    [
                        "If someone else edited the same item, the app keeps both versions and asks you to choose.",
                        "When the same item was changed elsewhere, both versions are kept and you pick one.",
                    ]),
                new(
                    [
                        "Attachments larger than {0} MB are only downloaded on Wi-Fi.",
                        "Files over {0} MB download only when you are on Wi-Fi.",
                    ],
                    new Figure("wifi_only_mb", 10, 50)),
            ],
            [
                ["Open the app settings.", "Open Settings in the app."],
                ["Turn on Offline mode.", "Switch Offline mode on."],
                ["Choose which folders to keep on the device.", "Choose the folders the device should keep."],
            ]),
        new(
            "shipping",
            "Shipping",
            ["shipping", "ship to", "delivery time", "canada", "customs", "carrier"],
            [
                "We ship to Canada with tracked delivery, and duties are included in the price at checkout.",
                "Orders to Canada are shipped with tracking, and the checkout price already includes duties.",
            ],
            [
                new(
                    [
                        "Standard shipping takes {0} to {1} business days.",
                        "Standard delivery arrives in {0} to {1} business days.",
                    ],
                    new Figure("standard_min_days", 3, 5),
                    new Figure("standard_max_days", 6, 9)),
                new(
                    [
                        "Express shipping arrives in {0} business days and costs {1} dollars.",
                        "For {1} dollars, express delivery takes {0} business days.",
                    ],
                    new Figure("express_days", 1, 3),
                    new Figure("express_price_usd", 15, 35)),
                new(
                    [
                        "Shipping is free on orders over {0} dollars.",
                        "Orders above {0} dollars ship for free.",
                    ],
                    new Figure("free_shipping_over_usd", 50, 150)),
                new(
                    [
                        "You receive a tracking number by email as soon as the parcel leaves the warehouse.",
                        "A tracking number is emailed to you once the parcel has left the warehouse.",
                    ]),
                new(
                    [
                        "Customs can add a day or two during busy periods.",
                        "In busy periods, customs may add one or two days.",
                    ]),
            ],
            []),
        new(
            "orders",
            "Order status",
            ["order status", "where is my order", "track", "my order", "order number"],
            [
                "You can see the status of any order on the Orders page, with live tracking once it has shipped.",
                "The Orders page shows where each order stands, and tracking goes live once it ships.",
            ],
            [
                new(
                    [
                        "Orders placed before {0} p.m. ship the same business day.",
                        "If you order before {0} p.m., it leaves the warehouse that business day.",
                    ],
                    new Figure("cutoff_hour", 1, 4)),
                new(
                    [
                        "The status moves from Processing to Shipped to Delivered, and you get an email at each step.",
                        "Each change of status, from Processing to Shipped to Delivered, is confirmed by email.",
                    ]),
                new(
                    [
                        "Tracking can take up to {0} hours to show the first scan.",
                        "The first tracking scan may appear only after {0} hours.",
                    ],
                    new Figure("first_scan_hours", 12, 48)),
                new(
                    [
                        "You can change the address until the order is marked Shipped.",
                        "Until the order is Shipped, the delivery address can still be changed.",
                    ]),
                new(
                    [
                        "If tracking has not moved for {0} days, contact support with the order number.",
                        "Contact support with your order number when tracking has been stuck for {0} days.",
                    ],
                    new Figure("stuck_days", 3, 7)),
            ],
            [
                ["Open Account > Orders.", "Open the Orders tab of your account."],
                ["Click the order number.", "Click the number of the order."],
                ["Click Track shipment to see the carrier's updates.", "Click Track shipment for the carrier's latest scans."],
            ]),
        new(
            "gift-cards",
            "Gift cards",
            ["gift card", "voucher", "gift code", "store credit"],
            [
                "Gift cards are delivered by email and can be redeemed at checkout.",
                "You receive gift cards by email and use them at checkout.",
            ],
            [
                new(
                    [
                        "They are available from {0} to {1} dollars.",
                        "You can buy them for amounts between {0} and {1} dollars.",
                    ],
                    new Figure("min_usd", 10, 25),
                    new Figure("max_usd", 200, 500)),
                new(
                    [
                        "A gift card is valid for {0} years from the date of purchase.",
                        "Gift cards expire {0} years after the purchase date.",
                    ],
                    new Figure("valid_years", 1, 5)),
                new(
                    [
                        "Any balance left after a purchase stays on the card for the next order.",
                        "An unused balance remains on the card for later orders.",
                    ]),
                new(
                    [
                        "Gift cards cannot be exchanged for cash or used to buy other gift cards.",
                        "They are not exchangeable for cash, and they cannot pay for other gift cards.",
                    ]),
                new(
                    [
                        "You can combine up to {0} gift cards in one order.",
                        "A single order accepts as many as {0} gift cards.",
                    ],
                    new Figure("max_cards", 2, 5)),
            ],
            [
                ["Add the items to your cart and go to checkout.", "Go to checkout with the items in your cart."],
                ["Enter the gift card code under Payment.", "Type the gift card code in the Payment section."],
                ["Pay any remaining amount with another method.", "Pay whatever amount remains with another payment method."],
            ]),
    ];
}
