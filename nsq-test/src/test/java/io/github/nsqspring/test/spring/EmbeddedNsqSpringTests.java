package io.github.nsqspring.test.spring;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import io.github.nsqspring.test.EmbeddedNsqCluster;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.junit.EmbeddedNsq;

import static org.assertj.core.api.Assertions.assertThat;

@SpringJUnitConfig
@EmbeddedNsq(nodes = 2, lookupd = true)
class EmbeddedNsqSpringTests {

	@Autowired
	EmbeddedNsqCluster bean;

	@Autowired
	Environment environment;

	@Value("${nsq.nsqd.addresses}")
	String addresses;

	NsqCluster injected;

	@Test
	void contextOwnsTheClusterAndExposesItsAddresses(NsqCluster parameter) {
		assertThat(this.injected).isSameAs(this.bean).isSameAs(parameter);
		assertThat(this.addresses).isEqualTo(this.bean.nsqdTcpAddress(0) + "," + this.bean.nsqdTcpAddress(1));
		assertThat(this.environment.getProperty("nsq.nsqd.http-addresses"))
			.isEqualTo(String.join(",", this.bean.nsqdHttpAddresses()));
		assertThat(this.environment.getProperty("nsq.lookupd.addresses")).isEqualTo(this.bean.lookupdHttpAddress());
	}

	@Configuration
	static class Config {

	}

}
