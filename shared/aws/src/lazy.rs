//! A client made on first use: a Lambda that never sends mail never pays
//! for building the SES client.

use std::sync::{Arc, OnceLock};

use aws_config::SdkConfig;

type Make<C> = Box<dyn Fn(&SdkConfig) -> C + Send + Sync>;

pub struct Lazy<C> {
    config: SdkConfig,
    make: Make<C>,
    cell: Arc<OnceLock<C>>,
}

impl<C> Lazy<C> {
    pub fn new(
        config: &SdkConfig,
        make: impl Fn(&SdkConfig) -> C + Send + Sync + 'static,
    ) -> Lazy<C> {
        Lazy {
            config: config.clone(),
            make: Box::new(make),
            cell: Arc::new(OnceLock::new()),
        }
    }

    pub fn get(&self) -> &C {
        self.cell.get_or_init(|| (self.make)(&self.config))
    }
}
